import type {Messages} from '../messages.js';

/** "il centralino" when its address is not known; the address alone when it is. */
const pbx = (address: string | undefined): string => address ?? 'il centralino';
/** "da 192.168.1.10", "dal centralino". */
const fromPbx = (address: string | undefined): string => (address ? `da ${address}` : 'dal centralino');
/** "a 192.168.1.10", "al centralino". */
const toPbx = (address: string | undefined): string => (address ? `a ${address}` : 'al centralino');
/** "UDP 9000-9099", or "le porte UDP controllate" when no port is named. */
const udp = (ports: string | undefined): string => (ports ? `UDP ${ports}` : 'le porte UDP controllate');
/** "sulla porta 5060", "sulle porte 9000-9099", "sulle porte controllate". */
const onPorts = (ports: string | undefined): string =>
	ports === undefined ? 'sulle porte controllate' : /^\d+$/.test(ports) ? `sulla porta ${ports}` : `sulle porte ${ports}`;

export const verdicts: Messages['verdicts'] = {
	shared: {
		forwardingRule: (ports, address) =>
			`Aggiungi sul router un inoltro statico: ${udp(ports)} in arrivo sull'indirizzo WAN → ${pbx(address)}, stessi numeri di porta, da qualsiasi indirizzo di origine.`,
		hostFirewall:
			'Controlla che il firewall di questa macchina (iptables/nftables, firewalld, Windows Firewall) accetti UDP in entrata su queste porte.',
		pointsAtThisHost:
			"Verifica che l'inoltro punti a questa macchina e non a un altro indirizzo della LAN (un vecchio centralino, un telefono).",
		everyBox:
			"Se tra il centralino e internet ci sono più apparati (modem del provider + router), configura l'inoltro su ciascuno.",
		sipAlgOff: 'Disattiva SIP ALG / SIP helper sul router: riscrive il traffico VoIP e spesso rompe gli inoltri.',
	},
	ok: {
		sentence: 'Inoltrata uno a uno (1:1): la porta esce con lo stesso numero e riceve da qualsiasi indirizzo.',
		nothingToDo: 'Niente da fare: questa porta è configurata come serve al centralino.',
	},
	'mapping-only': {
		sentence:
			"Non inoltrata: il router fa entrare il traffico solo dopo che la porta ha trasmesso verso l'esterno, quindi i primi pacchetti delle chiamate in entrata e dei nuovi telefoni vanno persi, e l'entrata si ferma quando la mappatura scade.",
		notAForward:
			'La porta supera i Test 1 e 2 solo grazie alla mappatura NAT che apre da sé (NAT "full-cone"): non è un inoltro.',
	},
	'inbound-blocked': {
		sentence: 'In uscita funziona, ma da un indirizzo nuovo non entra nulla: la porta non è inoltrata a questa macchina.',
		natSetting:
			'Se il router ha un\'impostazione NAT UDP "port-restricted" o "symmetric", scegli full-cone / endpoint-independent.',
	},
	'port-translated': {
		sentence:
			"Il router cambia il numero di porta in uscita (NAT simmetrico): gli interni remoti invieranno l'audio alla porta sbagliata.",
		keepPort: (address, ports) =>
			`Aggiungi una regola di source NAT che mantenga la porta: l'UDP ${fromPbx(address)} ${onPorts(ports)} deve uscire dalla WAN con gli stessi numeri di porta.`,
		noRandomisation:
			'Disattiva la randomizzazione delle porte sul router (spesso chiamata NAT UDP "random" o "symmetric"; su pfSense/OPNsense, "static port" disattivato).',
		sipAlgOff: 'Disattiva SIP ALG / SIP helper sul router.',
	},
	'outbound-blocked': {
		sentence: 'Nessuna risposta alle richieste inviate da questa porta: il traffico in uscita viene bloccato o si perde.',
		allowOutbound: (address, ports) => `Consenti sul router/firewall l'UDP in uscita ${fromPbx(address)} ${onPorts(ports)}.`,
		antivirus:
			"Controlla il firewall di questa macchina e gli antivirus o software di protezione endpoint (disattivarli può non bastare: aggiungi un'eccezione).",
		antivirusOnly:
			"Controlla gli antivirus o software di protezione endpoint di questa macchina (disattivarli può non bastare: aggiungi un'eccezione).",
		askIsp: 'Chiedi al provider se blocca o filtra queste porte UDP.',
		floodProtection:
			'Se falliscono solo alcune porte, disattiva la protezione da port scan / flood sul firewall durante il controllo: spesso inizia a scartare il traffico dopo le prime porte.',
	},
	'address-mismatch': {
		sentence: 'Il traffico di questa porta esce da un IP pubblico diverso da quello configurato sul centralino.',
		leaveFrom: publicIp =>
			`Fai uscire il traffico della porta ${publicIp ? `da ${publicIp}` : "dall'IP pubblico usato dal centralino"} (controlla multi-WAN, bilanciamento del carico e regole di source NAT).`,
		updatePbx: "Oppure, se l'IP pubblico è cambiato, aggiorna l'indirizzo pubblico nelle impostazioni del centralino.",
	},
	'port-in-use': {
		sentence: 'Un altro programma occupa questa porta, quindi non è stato possibile controllarla.',
		heldBy: owner => `La porta è occupata da ${owner}. Se è il centralino, va bene così: fwcheck non la tocca.`,
		findHolder: 'Trova il programma che occupa la porta con il comando indicato sotto.',
		notThePbx: 'Se non è il centralino, ferma o riconfigura quel programma: al centralino servono queste porte libere.',
		checkLater:
			'Per controllare anche queste porte, riesegui fwcheck con il servizio media del centralino fermo, in un momento tranquillo.',
	},
	'port-not-permitted': {
		sentence:
			'Questa macchina non permette a fwcheck di aprire questa porta (sotto la 1024 servono root o CAP_NET_BIND_SERVICE), quindi non è stato possibile controllarla.',
		runWithSudo: ports =>
			`Per controllare anche ${ports ? `le porte ${ports}` : 'queste porte'}, riesegui fwcheck con sudo: solo root (o un programma con CAP_NET_BIND_SERVICE) può aprire le porte sotto la 1024.`,
		othersStand: 'Le altre porte sono state controllate normalmente: il loro esito non dipende da queste.',
	},
	'some-failed': {
		sentence: 'Alcune porte sono inoltrate uno a uno (1:1), altre no.',
		compareRules:
			'Confronta le regole di inoltro con gli intervalli falliti elencati: spesso un intervallo manca o è scritto male.',
		everyForward: address => `Verifica che ogni inoltro punti ${toPbx(address)} e non a un altro indirizzo della LAN.`,
		portScanProtection:
			'Se gli errori iniziano dopo le prime porte, la protezione da port scan del firewall potrebbe scartare il traffico: disattivala durante il controllo.',
	},
	'stun-unresolvable': {
		sentence: 'Il nome del server STUN non si risolve.',
		checkName: server =>
			`Controlla che il nome${server ? ` ${server}` : ''} sia scritto bene e che il DNS di questa macchina funzioni (ad es. \`getent hosts <nome>\`).`,
		anotherServer: 'Prova un altro server STUN con --stun, oppure il tuo (`fwcheck serve`).',
	},
	'stun-unreachable': {
		sentence: 'Nessuno dei server STUN configurati ha risposto, quindi il controllo non è partito.',
		internet: 'Controlla che questa macchina riesca a raggiungere internet in UDP.',
		allowStun: "Consenti sul firewall l'UDP in uscita verso la porta del server STUN (3478 di default).",
		serverDown: 'Il server potrebbe essere spento: prova un altro con --stun, oppure il tuo (`fwcheck serve`).',
	},
	'stun-no-second-address': {
		sentence:
			'Il server STUN risponde ma non può eseguire il Test 2: non ha un secondo indirizzo IP, o ignora le richieste di usarlo.',
		twoAddresses: 'Usa con --stun un server STUN con due indirizzi IP (stile RFC 5780 o RFC 3489).',
		ownServer: 'Oppure avvia il tuo su una macchina con due IP pubblici: `fwcheck serve --primary A --alternate B`.',
	},
	cancelled: {
		sentence: 'Il controllo è stato annullato prima che tutte le porte fossero controllate.',
		runAgain: 'Rieseguilo per controllare le porte rimanenti.',
	},
	noTest3: 'Questo server non può eseguire il Test 3: un router che fa entrare solo le risposte risulterebbe ok.',
};
