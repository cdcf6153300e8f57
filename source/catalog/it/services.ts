import type {Messages} from '../messages.js';

const pbx = (address: string | undefined): string => address ?? 'il centralino';
/** "da 192.168.1.10", "dal centralino". */
const fromPbx = (address: string | undefined): string => (address ? `da ${address}` : 'dal centralino');
/** "a 192.168.1.10", "al centralino". */
const toPbx = (address: string | undefined): string => (address ? `a ${address}` : 'al centralino');
const sipPort = (ports: string | undefined): string => ports ?? '5060';
/** "TCP 5061", or "le porte TCP controllate" when no port is named. */
const tcp = (ports: string | undefined): string => (ports ? `TCP ${ports}` : 'le porte TCP controllate');

export const services: Messages['services'] = {
	shared: {
		tcpForward: (ports, address) =>
			`Aggiungi sul router un inoltro statico: ${tcp(ports)} in arrivo sull'indirizzo WAN → ${pbx(address)}, stessi numeri di porta, da qualsiasi indirizzo di origine. Una regola solo UDP non copre il TCP: scegli TCP o "entrambi".`,
		pointsAtThisHost:
			"Verifica che l'inoltro punti a questa macchina e non a un altro indirizzo della LAN (un vecchio centralino, un telefono).",
		outerBoxAnswers:
			"Con due NAT in cascata (modem del provider + router), può rispondere l'apparato esterno: configura l'inoltro su ciascuno.",
		whereAlgLives: [
			'Router domestici e dei provider: cerca "SIP ALG", "SIP Passthrough", "SIP helper" o "VoIP ALG" (nelle impostazioni WAN, NAT, Firewall o Avanzate) e disattivalo. Netgear: "Disable SIP ALG" in WAN Setup. DrayTek: `sys sip_alg 0` dalla console.',
			'Router Cisco IOS: `no ip nat service sip udp port 5060` e `no ip nat service sip tcp port 5060`. Cisco ASA: `no inspect sip` nella global policy map.',
			'Fortinet FortiGate: `config system settings`, `set sip-helper disable`, `set sip-nat-trace disable`, poi elimina la voce sip in `config system session-helper`; azzera le sessioni (o riavvia) così quelle esistenti smettono di essere riscritte.',
			'Juniper SRX: `set security alg sip disable`, poi commit.',
			"Router Linux e OpenWrt: scarica nf_nat_sip e nf_conntrack_sip e impedisci che si ricarichino, oppure elimina la regola che aggancia l'helper conntrack SIP (`-j CT --helper sip`); su OpenWrt quell'helper arriva con kmod-nf-nathelper-extra.",
			'pfSense e OPNsense non hanno un SIP ALG proprio; il pacchetto siproxd è un proxy SIP che riscrive allo stesso modo: rimuovilo, o fai in modo che il traffico del centralino non ci passi.',
		],
		skipped: 'saltato',
		ok: 'ok',
		failed: 'fallito',
		noAnswer: 'nessuna risposta',
		reachedThisHost: 'arrivato a questa macchina',
		answeredNotThisHost: 'ha risposto un altro apparato',
	},
	'sip-alg': {
		sentence:
			'Qualcosa lungo il percorso riscrive gli indirizzi dentro i messaggi SIP (un SIP ALG): audio a senso unico o assente, telefoni che non si registrano, trasferimenti che non funzionano.',
		word: lines => (lines > 0 ? `riscritto (${lines} ${lines === 1 ? 'riga' : 'righe'})` : 'riscritto'),
		untouched: 'intatto',
		turnOff:
			"Disattiva il SIP ALG sul router e su ogni firewall o modem tra il centralino e internet. Il centralino scrive già da sé il proprio indirizzo pubblico nel SIP (con l'impostazione dell'indirizzo esterno, o con STUN); l'ALG lo riscrive una seconda volta, spesso male, ed è questo che rompe audio, registrazione e trasferimenti.",
		askIsp:
			"Se l'apparato è del provider e l'impostazione è bloccata, chiedi al provider di disattivare il SIP ALG o di mettere il suo apparato in modalità bridge.",
		runAgain: 'Riesegui fwcheck: la riga SIP ALG deve risultare intatta sia per UDP sia per TCP.',
	},
	'sip-invite-dropped': {
		sentence:
			"Le SIP OPTIONS passano, ma l'INVITE non riceve mai risposta: qualcosa lungo il percorso, di solito un SIP ALG, blocca l'avvio delle chiamate.",
		word: 'INVITE scartato',
		turnOff:
			'Disattiva il SIP ALG ("SIP helper", "SIP Passthrough") sul router e su ogni firewall lungo il percorso: è noto che gli ALG scartano un INVITE di cui si aspettano già indirizzo e porta media.',
		inspection:
			'Cerca sul firewall regole di "SIP inspection", prevenzione delle intrusioni o "protezione VoIP" che scartano gli INVITE del centralino, e disattivale per il centralino.',
	},
	'sip-no-answer': {
		sentence:
			'Nessuna risposta alle richieste SIP inviate alla porta SIP del server: il SIP in uscita su questo trasporto viene bloccato o si perde lungo il percorso.',
		allowOutbound: (address, ports) =>
			`Consenti sul router, sul firewall e su questa macchina il SIP in uscita ${fromPbx(address)} verso la porta ${sipPort(ports)}, in UDP e TCP.`,
		ispFilters:
			"Alcuni provider e reti mobili bloccano o filtrano la porta 5060: chiedi al provider, o verifica se il SIP verso il tuo Provider VoIP usa un'altra porta.",
		untilThisPasses:
			'Finché questo controllo non passa, fwcheck non può dire se un SIP ALG riscrive il tuo SIP; i controlli delle porte UDP non ne risentono.',
	},
	'sip-service-ok': {
		sentence:
			"Una SIP OPTIONS da un indirizzo con cui questa macchina non ha mai parlato ha ricevuto risposta da un servizio SIP sulla porta SIP pubblica: l'inoltro lo raggiunge.",
		word: status => (status ? `risponde ${status}` : 'risponde'),
		nothingToDo: 'Niente da fare: il SIP da internet raggiunge il centralino.',
	},
	'sip-service-silent': {
		sentence:
			'Una SIP OPTIONS inviata da internet alla porta SIP pubblica non ha ricevuto risposta: la porta non è inoltrata al centralino, o qualcosa scarta la richiesta.',
		forward: (ports, address) =>
			`Aggiungi sul router un inoltro statico: UDP e TCP ${sipPort(ports)} in arrivo sull'indirizzo WAN → ${pbx(address)}, stessa porta, da qualsiasi indirizzo di origine.`,
		hostFirewall: ports =>
			`Controlla che il firewall di questa macchina accetti il SIP in entrata sulla porta ${sipPort(ports)}.`,
		securitySettings:
			"Alcune impostazioni di sicurezza del centralino non rispondono agli indirizzi sconosciuti (blocklist IP, fail2ban, una allow-list dei trunk): controlla che l'indirizzo del server non sia bloccato, oppure valuta l'inoltro con una chiamata dall'esterno.",
		sipAlgOff: 'Disattiva SIP ALG / SIP helper sul router: può far sparire il SIP che non gli piace.',
	},
	'sip-private-contact': {
		sentence:
			'Il centralino ha risposto da internet, ma con un indirizzo privato nel Via o nel Contact: telefoni e trunk esterni invieranno a un indirizzo che non possono raggiungere.',
		word: status => `risponde${status ? ` ${status}` : ''}, indirizzo privato`,
		externalAddress: publicIp =>
			`Imposta come indirizzo esterno (pubblico) del centralino ${publicIp ?? 'il tuo IP pubblico'} e come reti locali gli intervalli della LAN, così scrive l'indirizzo pubblico per chi sta fuori. Asterisk PJSIP: external_signaling_address, external_media_address e local_net sul transport; chan_sip: externaddr e localnet; FreeSWITCH: ext-sip-ip e ext-rtp-ip sul profilo.`,
		stun: 'Oppure, se il centralino lo supporta, fagli ricavare il proprio indirizzo pubblico tramite STUN.',
		noAlg: 'Non affidarti a un SIP ALG per risolvere: disattiva ogni ALG, perché riscrive di nuovo e spesso male.',
	},
	'sip-reached-fwcheck': {
		sentence: "Una SIP OPTIONS inviata da internet alla porta SIP pubblica è arrivata a questa macchina: l'inoltro punta qui.",
		nothingToDo: 'Niente da fare: quando il centralino sarà in ascolto su questa porta, il SIP da internet lo raggiungerà.',
	},
	'sip-elsewhere': {
		sentence:
			"Una SIP OPTIONS inviata da internet alla porta SIP pubblica ha ricevuto risposta, ma non da questa macchina: l'inoltro punta a un altro apparato, o il router risponde al SIP da sé.",
		word: status => (status ? `risponde ${status}, ma non questa macchina` : 'ha risposto un altro apparato'),
		pointForward: (ports, address) =>
			`Fai puntare l'inoltro di UDP e TCP ${sipPort(ports)} ${toPbx(address)}, stessa porta, da qualsiasi indirizzo di origine.`,
		whatAnswered:
			'Cerca cosa ha risposto al suo posto: un vecchio centralino, un telefono o un adattatore nella LAN, o la telefonia integrata nel router (molti apparati dei provider hanno un proprio client SIP sulla 5060); sposta o disattiva quel servizio.',
	},
	'tcp-ok': {
		sentence:
			'Una connessione TCP da un indirizzo con cui questa macchina non ha mai parlato è arrivata a questa porta: inoltrata.',
		nothingToDo: 'Niente da fare: questa porta TCP raggiunge questa macchina.',
	},
	'tcp-elsewhere': {
		sentence:
			"Una connessione TCP alla porta pubblica è stata accettata, ma non da questa macchina: l'inoltro punta a un'altra macchina, o il router risponde da sé su quella porta.",
		whereItPoints:
			"Controlla dove punta l'inoltro esistente: un altro indirizzo della LAN (un vecchio centralino, un NAS, una telecamera) è un residuo frequente.",
		routerUsesPort:
			"Il router potrebbe usare la porta per sé (amministrazione remota, un server VPN, la propria telefonia sulla 5060/5061): sposta quel servizio su un'altra porta, o disattivalo.",
	},
	'tcp-refused': {
		sentence: 'Una connessione TCP alla porta pubblica è stata rifiutata: nessuna regola la inoltra, o il router la respinge.',
		word: 'rifiutata',
		tcpNotUdp: 'Se un inoltro esiste, controlla che sia per TCP e non solo UDP, e che sia attivo.',
		hostFirewall: 'Controlla che il firewall di questa macchina accetti TCP in entrata su queste porte.',
	},
	'tcp-no-answer': {
		sentence:
			"Una connessione TCP alla porta pubblica non ha ricevuto alcuna risposta: un firewall la scarta, o l'inoltro punta a un indirizzo dove non c'è nulla.",
		unreachable: 'irraggiungibile',
		addressExists: "Controlla che l'inoltro punti a un indirizzo della LAN che esiste ed è acceso.",
		allowInbound:
			'Consenti TCP in entrata su queste porte nel firewall del router e su questa macchina (iptables/nftables, firewalld, Windows Firewall).',
		ispFilters: 'Alcuni provider filtrano il TCP in entrata sulle porte note: se tutto il resto è a posto, chiedi al provider.',
	},
	'tcp-busy-reached': {
		sentence:
			"Un altro programma occupa qui questa porta TCP, e una connessione da internet è stata accettata: molto probabilmente il servizio che la occupa è raggiungibile dall'esterno.",
		word: 'occupata qui, raggiungibile da fuori',
		notReached: 'occupata qui, non raggiungibile da fuori',
		heldBy: owner => `La porta è occupata da ${owner}. Se è il centralino, il suo servizio TCP è raggiungibile: niente da fare.`,
		findHolder: 'Trova il programma che occupa la porta con `ss -ltnp` (Linux) o `netstat -ano` (Windows).',
		cannotProve:
			'Finché la porta è occupata, fwcheck non può provare che la connessione sia arrivata a questa macchina e non a un altro apparato che la accetta: per esserne sicuro, ricontrollala con il programma fermo.',
	},
	'services-unavailable': {
		sentence: 'Serve un server avviato con `fwcheck serve`: i controlli SIP ALG, porta SIP e TCP sono stati saltati.',
		runServe:
			'Avvia `fwcheck serve --primary A --alternate B` su una macchina con due indirizzi IP pubblici e indicalo a fwcheck con --stun.',
		portsStand: 'I controlli delle porte UDP non ne dipendono: i loro esiti restano validi.',
	},
	summary: {
		allChecks: 'Controlli SIP e TCP',
		skipped: why => `saltati: ${why}`,
		sipAlg: 'SIP ALG',
		sipPort: port => `Porta SIP ${port}`,
		sipPortHeld: (port, owner) => `Porta SIP ${port}, occupata qui${owner ? ` da ${owner}` : ''}`,
		tcpPorts: ports => `TCP ${ports}`,
		tcpCount: (passed, total, busy) =>
			`${passed}/${total} ok${busy > 0 ? `, ${busy} ${busy === 1 ? 'occupata' : 'occupate'}` : ''}`,
		byTransport: (udpWord, tcpWord) => `UDP ${udpWord}, TCP ${tcpWord}`,
		separator: ', ',
		and: (first, second) => `${first} e ${second}`,
	},
};
