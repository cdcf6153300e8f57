import type {Messages} from '../messages.js';

export const notes: Messages['notes'] = {
	algRewrite: (plain, xored) =>
		`MAPPED-ADDRESS ${plain} è diverso da XOR-MAPPED-ADDRESS ${xored}: un apparato lungo il percorso riscrive gli indirizzi dentro i pacchetti (un ALG, per esempio il SIP ALG). Disattivalo.`,
	test1Error: (code, reason) => `Il server ha risposto al Test 1 con l'errore ${code} ${reason}`,
	test1ErrorNoReason: code => `Il server ha risposto al Test 1 con l'errore ${code}`,
	test2WrongSource: (count, sources) =>
		`Il Test 2 ha ricevuto ${count === '1' ? '1 risposta' : `${count} risposte`} da un indirizzo diverso dal secondo IP del server (${sources}): ${count === '1' ? 'non viene contata' : 'non vengono contate'}.`,
	test3WithoutTest2:
		"Il Test 3 è passato ma il Test 2 no: l'inoltro sembra esserci, ma le risposte dal secondo indirizzo verso questa porta sono state scartate dopo che la porta aveva trasmesso (un filtro stateful sul router o su questa macchina), oppure si sono perse.",
	staleTest3: age =>
		`Questa porta ha contattato un server STUN ${age} prima di questo controllo: su un router che fa entrare le risposte, quella mappatura può essere ancora aperta, quindi il Test 3 può risultare ok anche senza inoltro.`,
	staleReport: (count, ranges, age, wait) =>
		`Il Test 3 è passato su ${count} porte (${ranges}) usate ${age} prima da un controllo di questa macchina: un router che fa entrare solo le risposte avrebbe ancora aperte quelle mappature. Per esserne certo, ripeti il controllo tra almeno ${wait}.`,
	staleReportOne: (ranges, age, wait) =>
		`Il Test 3 è passato su 1 porta (${ranges}) usata ${age} prima da un controllo di questa macchina: un router che fa entrare solo le risposte avrebbe ancora aperta quella mappatura. Per esserne certo, ripeti il controllo tra almeno ${wait}.`,
	moreRanges: (shown, more) => `${shown} e ${more === '1' ? 'un altro intervallo' : `altri ${more} intervalli`}`,
	sipEchoOtherAddress: (transport, seen, publicAddress) =>
		`L'eco SIP ha visto arrivare il SIP su ${transport} da ${seen}, non da ${publicAddress} come nei test STUN: il router fa uscire il SIP per un'altra strada.`,
	needsFwcheckServe: 'Questi controlli richiedono un server avviato con `fwcheck serve`.',
	hairpinCancelled: 'il controllo è stato annullato',
	hairpinNoPublicAddress: 'nessun indirizzo pubblico noto',
	hairpinNoPass: "nessuna porta è passata, quindi non c'è un inoltro da attraversare",
	hairpinCannotListen: (port, why) => `impossibile restare in ascolto su UDP ${port}: ${why}`,
	hairpinCannotOpen: why => `impossibile aprire un socket: ${why}`,
	hairpinCameBack: target => `un pacchetto inviato a ${target} è tornato a questa macchina`,
	hairpinSendFailed: (target, why) => `invio a ${target}: ${why}`,
	hairpinNoneBack: (sends, target, ms) => `${sends} pacchetti inviati a ${target}: nessuno è tornato entro ${ms} ms`,
	hopsNoTarget: 'nessun indirizzo di server STUN verso cui tracciare il percorso',
	hopsUnsupported: platform => `nessuna traccia del percorso su ${platform}`,
	hopsNotInstalled: tool => `${tool} non è installato`,
	hopsNone: (tool, ms) => `${tool} non ha trovato hop entro ${ms} ms`,
	noGateway: 'nessun gateway predefinito trovato',
	natPmpNoAddress: why => `NAT-PMP ha risposto senza un indirizzo pubblico (${why})`,
	upnpDescriptionUnreadable: (url, why) => `UPnP: descrizione in ${url} illeggibile (${why})`,
	upnpNoWanService: 'UPnP: il gateway non ha un servizio di connessione WAN',
	upnpNoExternalAddress: 'UPnP: il router non indica un indirizzo esterno',
	upnpListStopped: why => `Elenco delle mappature UPnP: ${why}`,
	pcpNoAnswer: 'Prova PCP MAP: nessuna risposta PCP',
	pcpResult: result => `Prova PCP MAP: ${result}`,
	pcpDeleted: 'Prova PCP MAP: mappatura eliminata',
	pcpDeleteUnanswered: "Prova PCP MAP: l'eliminazione non ha avuto risposta (la mappatura scade da sola)",
	wanAddressesDiffer: (natPmp, upnp) => `NAT-PMP indica ${natPmp}, UPnP indica ${upnp}`,
	ownerNotFound: why => `Impossibile trovare chi occupa la porta: ${why}.`,
	ownerNoPidColumn:
		'Impossibile trovare chi occupa la porta: netstat -ano elenca questa porta senza la colonna PID (come fa il netstat di Wine).',
	ownerNameNotFound: why => `Impossibile trovare il nome del programma: ${why}.`,
	ownerNoTasklistLine: 'Impossibile trovare il nome del programma: tasklist non ha stampato nessuna riga per questo PID.',
	firewallNeedsRoot: 'Il firewall di questa macchina non è stato letto: servono i permessi di root (avvia fwcheck con sudo).',
	firewallNotRead: why => `Il firewall di questa macchina non è stato letto: ${why}.`,
	firewallNoTool: 'né nft né iptables-save sono installati',
	firewallBlocksOne: tool =>
		`Il firewall di questa macchina (${tool}) blocca il traffico in entrata verso un intervallo delle porte controllate.`,
	firewallBlocksMany: (tool, count) =>
		`Il firewall di questa macchina (${tool}) blocca il traffico in entrata verso ${count} intervalli delle porte controllate.`,
	firewallBlocksOutboundOne: tool =>
		`Il firewall di questa macchina (${tool}) blocca il traffico in uscita da un intervallo delle porte il cui Test 1 è fallito.`,
	firewallBlocksOutboundMany: (tool, count) =>
		`Il firewall di questa macchina (${tool}) blocca il traffico in uscita da ${count} intervalli delle porte il cui Test 1 è fallito.`,
	firewallLetsIn: tool => `Il firewall di questa macchina (${tool}) lascia entrare le porte controllate.`,
	firewallNotNeeded:
		'Il firewall di questa macchina non è stato letto: nessuna porta né servizio controllato è fallito, quindi non ne ha bloccato nessuno.',
	firewallNotNeededCancelled:
		'Il firewall di questa macchina non è stato letto: il controllo è stato annullato prima che fallisse una porta o un servizio.',
	firewallOtherPlatform: platform =>
		`Il firewall di questa macchina non è stato letto: fwcheck lo legge solo su Linux e Windows (non su ${platform}).`,
	windowsFirewallNotRead: why => `Windows Firewall non è stato letto: ${why}.`,
	windowsFirewallLetsIn: 'Windows Firewall lascia entrare le porte controllate.',
	cancelledTest1Once:
		'Il Test 1 è fallito una volta, senza ricontrollo: il controllo è stato annullato prima di poterlo confermare.',
	cancelledTest2Once:
		'Il Test 2 è fallito una volta, senza ricontrollo: il controllo è stato annullato prima di poterlo confermare.',
	cancelledTests12Once:
		'I Test 1 e 2 sono falliti una volta, senza ricontrollo: il controllo è stato annullato prima di poterli confermare.',
	cancelledNotRechecked: 'Nessun ricontrollo: il controllo è stato annullato prima di poter confermare.',
	cancelledTest3Passed: 'Il Test 3 è passato; i Test 1 e 2 non sono terminati: il controllo è stato annullato.',
	cancelledTest3Confirmed:
		'Il Test 3 è fallito e un ricontrollo lo ha confermato; i Test 1 e 2 non sono stati eseguiti: il controllo è stato annullato.',
	cancelledTest3Once:
		'Il Test 3 è fallito una volta, senza ricontrollo, e i Test 1 e 2 non sono stati eseguiti: il controllo è stato annullato prima di poter confermare.',
	notCheckedCancelled: 'Non controllata: il controllo è stato annullato.',
	notCheckedNoServer: 'Non controllata: nessun server STUN utilizzabile.',
	notChecked: 'Non controllata.',
	ownerNoSocketLine:
		'Impossibile trovare chi usa la porta: netstat -ano non ha stampato nessuna riga di socket che fwcheck sappia leggere.',
	ownerNoCodePage:
		'Impossibile leggere il nome del programma: né chcp né reg query hanno indicato la code page con cui decodificarlo.',
	windowsBlocksOne: 'Windows Firewall blocca il traffico in entrata verso un intervallo delle porte controllate.',
	windowsBlocksMany: count => `Windows Firewall blocca il traffico in entrata verso ${count} intervalli delle porte controllate.`,
	windowsBlocksOneByRule: rule =>
		`Windows Firewall blocca il traffico in entrata verso un intervallo delle porte controllate; la regola di blocco "${rule}" prevale su qualsiasi regola di autorizzazione: disattivala o restringila.`,
	windowsBlocksManyByRule: (count, rule) =>
		`Windows Firewall blocca il traffico in entrata verso ${count} intervalli delle porte controllate; la regola di blocco "${rule}" prevale su qualsiasi regola di autorizzazione: disattivala o restringila.`,
	windowsFirewallNotReadPlain: 'Windows Firewall non è stato letto.',
	windowsRulesNotRead: why => `Le regole non sono state lette (${why}).`,
	windowsOneRuleUnreadable: 'Una regola non si è potuta leggere.',
	windowsRulesUnreadable: count => `${count} regole non si sono potute leggere.`,
	noTest3Because: reason =>
		`Questo server non può eseguire il Test 3: un router che fa entrare solo le risposte risulterebbe ok. ${reason}.`,
	recheckFirst: 'Ricontrollo lento delle porte fallite prima di confermarle',
	recheckLater: 'Un ricontrollo ha cambiato un esito: ricontrollo più lento di tutte le porte fallite',
	test3RecheckFirst: 'Test 3: ricontrollo lento delle porte fallite prima di confermarle',
	test3RecheckLater: 'Test 3: un ricontrollo ha cambiato un esito: ricontrollo più lento di tutte le porte fallite',
	lossSlowdown: percent => `il ${percent}% delle richieste al server è rimasto senza risposta`,
};
