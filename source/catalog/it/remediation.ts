import type {Messages} from '../messages.js';

const moreRanges = (count: number) => (count === 1 ? ' e un altro intervallo' : ` e altri ${count} intervalli`);
/** "UDP 9000-9099", or "le porte UDP controllate" when no port is named. */
const udp = (ports: string | undefined): string => (ports ? `UDP ${ports}` : 'le porte UDP controllate');

export const remediation: Messages['remediation'] = {
	path: {
		cgnat: [
			'Il tuo provider usa un NAT carrier-grade (CGNAT) davanti al tuo router: nessun inoltro dalla tua parte può raggiungere il centralino. Chiedi al provider un indirizzo IPv4 pubblico (spesso chiamato "IP pubblico" o "senza CGNAT").',
			'Se il provider non può, usa una VPN o un tunnel che dia un indirizzo pubblico, oppure un trunk SIP/SBC che funzioni senza inoltri in entrata.',
		],
		doubleNat: (outer, ports, wan, pbx) =>
			`Davanti al tuo router c'è un secondo NAT: il modem/router del provider${outer ? ` (${outer})` : ''}. Metti quel modem in modalità bridge così il tuo router riceve l'indirizzo pubblico, oppure inoltra ${udp(ports)} su entrambi gli apparati: sul modem verso l'indirizzo WAN del tuo router${wan ? ` ${wan}` : ''}, e sul tuo router ${pbx ? `verso ${pbx}` : 'verso il centralino'}.`,
		noNat: ports =>
			`Questa macchina ha direttamente l'indirizzo pubblico: non c'è un router su cui inoltrare. Consenti ${udp(ports)} in entrata nel firewall di questa macchina e in ogni firewall gestito dal provider.`,
		meaning: {
			edge: "il tuo router ha l'indirizzo pubblico: bastano gli inoltri su di esso",
			'double-nat': "davanti al tuo router c'è un secondo NAT: inoltra su entrambi gli apparati, o metti il modem in bridge",
			cgnat: "davanti c'è il NAT carrier-grade del provider: nessun inoltro dalla tua parte può funzionare",
			'no-nat': "questa macchina ha l'indirizzo pubblico: conta solo il suo firewall",
			unknown: 'impossibile dire quanti NAT ci sono sul percorso',
		},
		word: {
			edge: 'router di confine',
			'double-nat': 'doppio NAT',
			cgnat: 'CGNAT',
			'no-nat': 'nessun NAT',
			unknown: 'sconosciuto',
		},
		line: (word, outer, meaning) => `Percorso: ${word}${outer ? ` (${outer})` : ''}: ${meaning}.`,
		noHops: 'nessun hop tracciato',
	},
	mappings: {
		elsewhere: (ranges, host, pbx, count) =>
			`Il router inoltra UDP ${ranges} a ${host}, non a questa macchina (${pbx}): fai puntare ${count === 1 ? "quell'inoltro" : 'quegli inoltri'} a ${pbx}.`,
		moved: (external, internal) =>
			`Il router inoltra UDP ${external} alla porta ${internal}: il numero di porta deve restare lo stesso.`,
		missing: (mappings, ranges, more) =>
			`L'elenco UPnP del router (${mappings} ${mappings === 1 ? 'mappatura' : 'mappature'}) non ha voci per UDP ${ranges}${more > 0 ? moreRanges(more) : ''}; gli inoltri impostati a mano nella pagina web del router potrebbero non comparire lì.`,
	},
	router: {
		noGateway: 'Router: nessun gateway predefinito trovato.',
		noAnswer: gateway =>
			`Router ${gateway}: nessuna risposta NAT-PMP, PCP o UPnP (molti router li hanno disattivati; va bene così).`,
		list: (first, last) => `${first} e ${last}`,
		separator: ', ',
		answered: (gateway, protocols, count, wan, mappings) =>
			`Router ${gateway}: ${count === 1 ? 'risponde' : 'rispondono'} ${protocols}; ${wan ? `WAN ${wan}` : 'nessun indirizzo WAN indicato'}${mappings < 0 ? '' : `; ${mappings} ${mappings === 1 ? 'mappatura' : 'mappature'}`}.`,
	},
	hairpin: {
		pass: 'funziona: i telefoni nella LAN raggiungono il centralino al suo indirizzo pubblico',
		fail: "non funziona: i telefoni nella LAN devono usare l'indirizzo LAN del centralino (o uno split DNS)",
		skipped: 'non provato',
		line: (words, detail) => `Hairpin: ${words}${detail ? ` (${detail})` : ''}.`,
	},
	hostFirewall: {
		blocks: (tool, protocol, ports, except, rule) =>
			`Il firewall di questa macchina${tool ? ` (${tool})` : ''} blocca ${protocol} ${ports} in entrata${except ? `, tranne da ${except}` : ''}: ${rule ?? 'la policy predefinita'}.`,
		answersLost:
			' A meno che una regola precedente faccia entrare le risposte, scarta anche le risposte alle richieste inviate da queste porte.',
		allowHere: commands => ` Per consentirlo qui: \`${commands}\`.`,
		alsoBlocks: count =>
			`Il firewall di questa macchina blocca anche ${count === 1 ? 'un altro intervallo' : `altri ${count} intervalli`} di queste porte: vedi la sezione del firewall di questa macchina.`,
		notEvaluated: (protocol, ports, more, rule, construct) =>
			`Il firewall di questa macchina ha una regola che fwcheck non ha potuto valutare per ${protocol} ${ports} in entrata${more > 0 ? moreRanges(more) : ''}: ${rule ?? 'una regola'}${construct ? ` (${construct})` : ''}. Controlla che accetti ${protocol} in entrata su queste porte.`,
		blocksOutbound: (tool, protocol, ports, rule) =>
			`Il firewall di questa macchina${tool ? ` (${tool})` : ''} blocca ${protocol} in uscita dalle porte ${ports}: ${rule ?? 'la policy predefinita'}.`,
		notEvaluatedOutbound: (protocol, ports, more, rule, construct) =>
			`Il firewall di questa macchina ha una regola che fwcheck non ha potuto valutare per ${protocol} in uscita dalle porte ${ports}${more > 0 ? moreRanges(more) : ''}: ${rule ?? 'una regola'}${construct ? ` (${construct})` : ''}. Controlla che lasci uscire ${protocol} da queste porte.`,
		outbound: 'in uscita',
		decision: {allowed: 'consentito', blocked: 'bloccato', unknown: 'sconosciuto'},
		exceptFrom: sources => ` (tranne da ${sources})`,
		couldNotEvaluate: construct => ` (non valutabile: ${construct})`,
		itsPolicy: 'la policy predefinita',
		ruleAfter: rule => `: ${rule}`,
		moreRangesJson: count => `…${moreRanges(count)} (vedi --json)`,
		allowedSummary: (ranges, more) => `✔ consentiti: ${ranges}${more > 0 ? ` e altri ${more}` : ''}`,
		separator: ', ',
	},
};
