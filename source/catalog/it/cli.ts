import type {Messages} from '../messages.js';

export const cli: Messages['cli'] = {
	help: maxServers => `
	Uso
	  $ fwcheck [opzioni]            controlla che le porte UDP siano inoltrate
	                                 uno a uno (1:1) a questa macchina
	  $ fwcheck --demo               lo stesso controllo verso un server integrato
	                                 su loopback
	  $ fwcheck --demo --faults      il controllo su un router simulato con ogni
	                                 tipo di guasto
	  $ fwcheck serve [opzioni]      avvia un server STUN a due indirizzi per i
	                                 controlli altrui
	  $ fwcheck merge FILE...        una tabella di tanti report --json, prima i
	                                 peggiori

	Opzioni
	  --ports, -p <elenco>   Porte da controllare (predefinito 9000-10999)
	                         es. --ports 5060,9000-10999
	  --stun, -s <host>      Server STUN con due indirizzi, provati in ordine;
	                         ripeti l'opzione o dai un elenco separato da
	                         virgole, al massimo ${maxServers} server, ognuno provato
	                         una volta
	                         es. --stun stun.example.net --stun 198.51.100.7:3478
	  --bind <ip>            Indirizzo locale su cui controllare le porte
	                         (predefinito: tutti) es. --bind 192.168.1.20
	  --public-ip <ip>       Considera fallite le porte il cui traffico esce da
	                         un altro IP pubblico  es. --public-ip 203.0.113.5
	  --rate <n>             Limite di pacchetti al secondo, un numero intero
	                         (rallenta anche da solo) es. --rate 200
	  --window <n>           Limite di porte in corso insieme, un numero intero
	                         (predefinito: 4096, o quante ne stanno)
	  --tcp <elenco>         Porte TCP a cui il server si ricollega, al massimo 64
	                         (serve un server avviato con \`fwcheck serve\`)
	                         es. --tcp 5061,8089
	  --sip-port <n>         La porta SIP del centralino, UDP e TCP
	                         (predefinito 5060)
	  --no-sip               Salta il test del SIP ALG e il controllo del
	                         servizio SIP
	  --no-router            Non interrogare il router (NAT-PMP, PCP, UPnP) e non
	                         tracciare i primi hop
	  --router-probe-map     Crea una breve mappatura PCP, subito cancellata, per
	                         sapere l'indirizzo WAN del router quando non lo dice
	                         (altrimenti non cambia nulla)
	  --no-host-firewall     Non leggere il firewall di questa macchina
	                         (nft, iptables; serve root)
	  --json                 Stampa un report JSON e nient'altro
	  --prometheus <file>    Scrivi il risultato anche per il textfile
	                         collector di node_exporter
	                         es. --prometheus /var/lib/node_exporter/fwcheck.prom
	  --no-tui               Righe di testo invece della tabella interattiva
	                         (anche fuori da un terminale, o con TERM=dumb)
	  --watch [secondi]      Poi ricontrolla le porte fallite e occupate ogni
	                         pochi secondi (predefinito 10, al massimo 3600)
	                         finché non passano, al massimo per un'ora; una riga
	                         per giro, il codice di uscita è quello dell'ultimo
	                         giro. La tabella lo avvia da sola (w lo ferma); con
	                         --json, stdout riceve solo il report finale, le
	                         righe dei giri e il segnale acustico vanno su stderr
	  --no-bell              Nessun segnale acustico quando il monitoraggio
	                         vede porte che iniziano a passare
	  --demo                 Avvia un server STUN su 127.0.0.1 + 127.0.0.2 e
	                         controlla verso di esso (mostra lo strumento
	                         all'opera: su loopback non c'è NAT da controllare)
	  --faults               Con --demo: un router simulato che inoltra alcune
	                         porte e ne blocca, traduce o trattiene altre, per
	                         vedere ogni esito e ogni elenco di cose da fare
	  --lang <en|it|ja>      Lingua di ciò che leggi; --json resta uguale in tutte
	                         (predefinito: da LC_ALL, LC_MESSAGES o LANG)
	  --help                 Mostra questo aiuto
	  --version              Mostra la versione

	Opzioni di merge
	  --markdown             La tabella in Markdown
	  --csv                  La tabella in CSV
	  --json                 Le righe in un unico documento JSON

	Opzioni di serve
	  --primary <ip>         Primo indirizzo su cui rispondere
	                         es. --primary 198.51.100.7
	  --alternate <ip>       Secondo indirizzo, per il Test 2 (CHANGE-REQUEST)
	                         es. --alternate 198.51.100.8
	  --port <n>             Porta principale (predefinito 3478)
	  --alt-port <n>         Porta alternativa (predefinito: --port + 1)
	  --sip-port <n>         Porta dell'eco SIP, UDP e TCP, su --primary
	                         (predefinito 5060)
	  --control-port <n>     Porta del servizio di controllo, TCP, su --primary
	                         (predefinito 3478)
	  --no-sip-echo          Niente eco SIP (serve ai client per scoprire il
	                         SIP ALG di un router)
	  --no-sip-options       Niente SIP OPTIONS inviate da --alternate all'IP
	                         del client
	  --no-connect-back      Niente connessioni TCP aperte da --alternate verso
	                         l'IP del client (entrambi richiedono --alternate;
	                         i limiti sono in source/server/README.md)
	  --metrics <ip:porta>   /metrics Prometheus con i contatori del server,
	                         solo su quell'indirizzo
	                         es. --metrics 127.0.0.1:9478

	Codici di uscita
	  0 tutte le porte ok, 1 alcune porte fallite, 2 errore d'uso, 3 il controllo
	  non è potuto partire o il suo report non è stato scritto, 130 annullato
	  (Ctrl+C, SIGTERM o SIGHUP)

	Esempi
	  $ fwcheck
	  $ fwcheck --ports 5060,9000-9099 --stun stun.example.net --json > report.json
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8 --no-connect-back
`,
	usage: problem => `fwcheck: ${problem} (vedi fwcheck --help)`,
	couldNotWriteReport: problem => `fwcheck: impossibile scrivere il report: ${problem}`,
	readerClosed: "chi leggeva l'output l'ha chiuso (EPIPE)",
	couldNotWrite: (file, problem) => `fwcheck: impossibile scrivere ${file}: ${problem}`,
	langValue: (choices, typed) => `--lang accetta uno tra ${choices}, non "${typed}"`,
	watchSeconds: (max, value) => `--watch vuole secondi interi da 1 a ${max}, non "${value}"`,
	notHostPort: text => `--stun: "${text}" non è nella forma host o host:porta`,
	tooManyServers: (most, count) => `--stun: al massimo ${most} server, non ${count}`,
	notIp: (flag, value) => `${flag}: "${value}" non è un indirizzo IP`,
	wholeNumber: (flag, given) => `${flag} vuole un numero intero da 1 in su${given}`,
	notValue: value => `, non ${value}`,
	bindFamily: (bind, family, server, serverFamily) =>
		`--bind ${bind} è IPv${family} ma il server ${server} è IPv${serverFamily}: usa indirizzi della stessa famiglia`,
	tooManyTcp: (most, count) => `--tcp: al massimo ${most} porte, non ${count}`,
	sipPortRange: '--sip-port vuole una porta da 1 a 65535',
	noSuchAddress: address => `--bind: questa macchina non ha l'indirizzo ${address}`,
	notAPort: item => `"${item}" non è una porta né un intervallo come 9000-10999`,
	portOutOfRange: port => `la porta ${port} è fuori intervallo (1-65535)`,
	rangeBackwards: item => `l'intervallo ${item} è al contrario`,
	cannotNegate: (negated, flag) => `${negated}: ${flag} vuole un valore e non si può disattivare`,
	needsValue: flag => `${flag} vuole un valore`,
	givenTwice: (flag, values) => `${flag} è indicato più di una volta (${values}): indicalo una volta sola`,
	thenJoin: ', poi ',
	unknownOption: options => `opzione sconosciuta ${options}`,
	unknownOptionFor: (options, command) => `opzione sconosciuta ${options} per ${command}`,
	unexpected: word => `argomento inatteso "${word}"`,
	unknownCommand: command => `comando sconosciuto "${command}"`,
	mergeNeedsFiles: 'merge vuole dei file di report: fwcheck merge FILE...',
	chooseOne: formats => `scegli uno tra ${formats}`,
	faultsWithDemo: '--faults va usato con --demo',
	probeMapNeedsRouter: '--router-probe-map interroga il router: togli --no-router',
	demoOwnServer: '--demo avvia un suo server: togli --stun',
	serveNeedsPrimary: 'serve vuole --primary <ip> (e --alternate <ip> per il Test 2)',
	servePorts: '--port e --alt-port vogliono un numero di porta (1-65535)',
	alternatePastRange: (port, alternate) =>
		`--port ${port}: la porta alternativa sarebbe ${alternate}, oltre 65535; scegline una con --alt-port <n>`,
	serveServicePorts: '--sip-port e --control-port vogliono un numero di porta (1-65535)',
	needsAlternate: flag => `${flag} invia dal secondo indirizzo: serve --alternate <ip>`,
	controlNeedsAlternate: "--control-port vuole --alternate <ip>: senza, il servizio di controllo non c'è",
	metricsAddress: value => `--metrics ${value}: indica un indirizzo e una porta, es. 127.0.0.1:9478 o [::1]:9478`,
	sipPortWithoutEcho: '--sip-port insieme a --no-sip-echo: togline uno',
	skipped: (file, problem) => `fwcheck: saltato ${file}: ${problem}`,
	noReportToMerge: 'fwcheck: nessun report da unire',
	demoCaption: "DEMO verso il server di fwcheck su loopback: qui non c'è NAT, quindi vedi lo strumento, non la tua rete.",
	demoNotice:
		'Demo: fwcheck controlla verso il proprio server STUN su 127.0.0.1 e 127.0.0.2. Su loopback non ci sono router né NAT, quindi questo mostra come funziona lo strumento, non se questa rete inoltra le porte.',
	demoSlowdown: reason => `${reason}: il server della demo non riusciva a stare al passo su questa macchina`,
	demoTag: 'DEMO',
	simulationTag: 'SIMULAZIONE',
	simulation: {
		faults:
			'SIMULAZIONE (--demo --faults): un router inventato dentro fwcheck, con un guasto di ogni tipo. Niente di tutto questo è la tua rete.',
		noSecondLoopback:
			'SIMULAZIONE: questa macchina risponde solo su 127.0.0.1, quindi la demo gira su una rete simulata dentro fwcheck. Niente di tutto questo è la tua rete.',
		sharedLoopbackPort:
			'SIMULAZIONE: su questa macchina 127.0.0.1 e 127.0.0.2 non possono tenere la stessa porta, quindi la demo gira su una rete simulata dentro fwcheck. Niente di tutto questo è la tua rete.',
	},
	simulatedRouter: 'Il router simulato:',
	layout: {
		allForwarded: pbx => `ogni porta controllata inoltrata uno a uno (1:1) a ${pbx}`,
		forwarded: (ports, pbx) => `${ports} inoltrate uno a uno (1:1) a ${pbx}`,
		heldBy: (ports, owner) => `${ports} occupata da ${owner} sul centralino`,
		translated: (ports, oldPbx) =>
			`${ports} inoltrata a ${oldPbx} (un vecchio centralino), quindi il router ne cambia il numero di porta`,
		fullCone: ports => `${ports} non inoltrate, ma lasciate entrare dopo che la porta ha trasmesso (NAT full-cone)`,
		notForwarded: ports => `${ports} non inoltrate`,
		blockedOut: ports => `${ports} bloccate in uscita`,
	},
};
