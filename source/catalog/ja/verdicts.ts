import type {Messages} from '../messages.js';

/** 「PBX」 when its address is not known; "PBX（192.168.1.10）" when it is. */
const pbx = (address: string | undefined): string => (address ? `PBX（${address}）` : 'PBX');
/** "UDP 9000-9099", or 「チェックしたUDPポート」 when no port is named. */
const udp = (ports: string | undefined): string => (ports ? `UDP ${ports}` : 'チェックしたUDPポート');

export const verdicts: Messages['verdicts'] = {
	shared: {
		forwardingRule: (ports, address) =>
			`ルーターに静的なポート転送を追加してください：WANアドレスに届く${udp(ports)} → ${pbx(address)}、ポート番号は同じ、送信元アドレスは制限なし。`,
		hostFirewall:
			'このマシンのファイアウォール（iptables/nftables、firewalld、Windows Firewall）がこれらのポートで受信UDPを許可しているか確認してください。',
		pointsAtThisHost: '転送先がこのマシンであり、LAN上の別のアドレス（古いPBXや電話機）になっていないか確認してください。',
		everyBox: 'PBXとインターネットの間に複数の機器（ISPのモデム＋ルーター）がある場合は、それぞれで転送を設定してください。',
		sipAlgOff:
			'ルーターのSIP ALG／SIPヘルパーを無効にしてください。VoIPの通信を書き換え、転送が正しく動かない原因になりがちです。',
	},
	ok: {
		sentence: '1対1で転送されています。ポート番号を変えずに送信され、どのアドレスからでも受信できます。',
		nothingToDo: '対応は不要です。このポートはPBXに必要なとおりに設定されています。',
	},
	'mapping-only': {
		sentence:
			'転送されていません。ルーターはこのポートから送信した後でしか受信を通さないため、着信通話や新しい電話機の最初のパケットが失われ、マッピングの期限が切れると受信も止まります。',
		notAForward:
			'このポートがテスト1と2に合格するのは、ポート自身が開いたNATマッピング（「フルコーン」NAT）によるものです。ポート転送ではありません。',
	},
	'inbound-blocked': {
		sentence: '送信は通りますが、新しいアドレスからは何も届きません。このポートはこのマシンに転送されていません。',
		natSetting:
			'ルーターにUDPの「port-restricted」や「symmetric」のNAT設定がある場合は、full-cone／endpoint-independentを選んでください。',
	},
	'port-translated': {
		sentence:
			'ルーターが送信時にポート番号を変えています（シンメトリックNAT）。リモート内線は音声を違うポートに送ってしまいます。',
		keepPort: (address, ports) =>
			`ポートを変えない送信元NATルールを追加してください：${pbx(address)}から出る${udp(ports)}は、同じポート番号のままWANから出る必要があります。`,
		noRandomisation:
			'ルーターのポートのランダム化を無効にしてください（「random」や「symmetric」UDP NATと呼ばれることが多く、pfSense/OPNsenseでは「static port」が無効の状態です）。',
		sipAlgOff: 'ルーターのSIP ALG／SIPヘルパーを無効にしてください。',
	},
	'outbound-blocked': {
		sentence: 'このポートから送った要求に応答が返りません。このポートからの送信がブロックされているか、途中で失われています。',
		allowOutbound: (address, ports) =>
			`ルーター／ファイアウォールで、${pbx(address)}から出る${udp(ports)}の送信を許可してください。`,
		antivirus:
			'このマシンのファイアウォールと、ウイルス対策やエンドポイント保護のソフトウェアを確認してください（無効にするだけでは足りないことがあります。例外を追加してください）。',
		antivirusOnly:
			'このマシンのウイルス対策やエンドポイント保護のソフトウェアを確認してください（無効にするだけでは足りないことがあります。例外を追加してください）。',
		askIsp: 'これらのUDPポートをブロックまたはフィルタリングしていないか、ISPに確認してください。',
		floodProtection:
			'一部のポートだけが失敗する場合は、チェックの間、ファイアウォールのポートスキャン／フラッド防御を無効にしてください。防御機能は最初の数ポートの後から通信を破棄し始めることがあります。',
	},
	'address-mismatch': {
		sentence: 'このポートの通信は、PBXに設定されたものとは別のパブリックIPアドレスから出ています。',
		leaveFrom: publicIp =>
			`このポートの送信が${publicIp ?? 'PBXが使うパブリックIPアドレス'}から出るようにしてください（マルチWAN、負荷分散、送信元NATのルールを確認してください）。`,
		updatePbx: 'パブリックIPアドレスが変わった場合は、PBXのパブリックアドレスの設定を更新してください。',
	},
	'port-in-use': {
		sentence: '別のプログラムがこのポートを使用中のため、チェックできませんでした。',
		heldBy: owner => `このポートは${owner}が使用中です。それがPBXであれば問題ありません（fwcheckはこのポートに触れません）。`,
		findHolder: '下に示すコマンドで、このポートを使用しているプログラムを確認してください。',
		notThePbx: 'PBXでない場合は、そのプログラムを停止するか設定を変えてください。PBXはこれらのポートが空いている必要があります。',
		checkLater:
			'これらのポートもチェックするには、通話の少ない時間帯にPBXのメディアサービスを停止して、fwcheckをもう一度実行してください。',
	},
	'port-not-permitted': {
		sentence:
			'このマシンではfwcheckがこのポートを使えないため（1024未満のポートにはrootかCAP_NET_BIND_SERVICEが必要です）、チェックできませんでした。',
		runWithSudo: ports =>
			`${ports ? `ポート${ports}` : 'これらのポート'}もチェックするには、sudoでfwcheckをもう一度実行してください。1024未満のポートを使えるのはroot（またはCAP_NET_BIND_SERVICEを与えたプログラム）だけです。`,
		othersStand: 'ほかのポートは通常どおりチェックしました。その結果はこれらのポートに左右されません。',
	},
	'some-failed': {
		sentence: '1対1で転送されているポートと、されていないポートがあります。',
		compareRules: '転送ルールと、一覧にある失敗した範囲を比べてください。範囲の抜けや入力ミスがよくあります。',
		everyForward: address => `すべての転送先が${pbx(address)}であり、LAN上の別のアドレスになっていないか確認してください。`,
		portScanProtection:
			'最初の数ポートの後から失敗し始める場合は、ファイアウォールのポートスキャン防御が通信を破棄している可能性があります。チェックの間は無効にしてください。',
	},
	'stun-unresolvable': {
		sentence: 'STUNサーバーの名前を解決できません。',
		checkName: server =>
			`名前${server ? `「${server}」` : ''}に入力ミスがないか、このマシンのDNSが動いているか確認してください（例：\`getent hosts <name>\`）。`,
		anotherServer: '--stunで別のSTUNサーバーか、自分のサーバー（`fwcheck serve`）を試してください。',
	},
	'stun-unreachable': {
		sentence: '設定したSTUNサーバーがどれも応答しないため、チェックを実行できませんでした。',
		internet: 'このマシンがUDPでインターネットに出られるか確認してください。',
		allowStun: 'ファイアウォールで、STUNサーバーのポート（既定は3478）への送信UDPを許可してください。',
		serverDown:
			'サーバーが停止している可能性があります。--stunで別のサーバーか、自分のサーバー（`fwcheck serve`）を試してください。',
	},
	'stun-no-second-address': {
		sentence: 'STUNサーバーは応答しましたが、テスト2を実行できません。第2IPアドレスがないか、それを使う要求を無視しています。',
		twoAddresses: '--stunで、IPアドレスを2つ持つSTUNサーバー（RFC 5780またはRFC 3489方式）を指定してください。',
		ownServer:
			'または、パブリックIPアドレスを2つ持つマシンで自分のサーバーを動かしてください：`fwcheck serve --primary A --alternate B`。',
	},
	cancelled: {
		sentence: 'すべてのポートをチェックする前に、チェックがキャンセルされました。',
		runAgain: '残りのポートをチェックするには、もう一度実行してください。',
	},
	noTest3: 'このサーバーはテスト3を実行できません。応答しか通さないルーターでもOKと表示されます。',
};
