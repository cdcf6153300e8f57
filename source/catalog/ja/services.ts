import type {Messages} from '../messages.js';

/** 「PBX」, or "PBX（192.168.1.10）" when its address is known. */
const pbx = (address: string | undefined): string => (address ? `PBX（${address}）` : 'PBX');
const sipPort = (ports: string | undefined): string => ports ?? '5060';
/** "TCP 5061", or 「チェックしたTCPポート」 when no port is named. */
const tcp = (ports: string | undefined): string => (ports ? `TCP ${ports}` : 'チェックしたTCPポート');

export const services: Messages['services'] = {
	shared: {
		tcpForward: (ports, address) =>
			`ルーターに静的なポート転送を追加してください：WANアドレスに届く${tcp(ports)} → ${pbx(address)}、ポート番号は同じ、送信元アドレスは制限なし。UDPだけのルールはTCPに効きません。TCPか「両方」を選んでください。`,
		pointsAtThisHost: '転送先がこのマシンであり、LAN上の別のアドレス（古いPBXや電話機）になっていないか確認してください。',
		outerBoxAnswers:
			'NATが2段（ISPのモデム＋ルーター）の場合、外側の機器が応答していることがあります。それぞれで転送を設定してください。',
		whereAlgLives: [
			'家庭用・ISPのルーター：「SIP ALG」「SIP Passthrough」「SIP helper」「VoIP ALG」（WAN、NAT、ファイアウォール、詳細設定の下）を探して無効にしてください。Netgear：WAN Setupの「Disable SIP ALG」。DrayTek：コンソールで`sys sip_alg 0`。',
			'Cisco IOSルーター：`no ip nat service sip udp port 5060`と`no ip nat service sip tcp port 5060`。Cisco ASA：global policy mapで`no inspect sip`。',
			'Fortinet FortiGate：`config system settings`、`set sip-helper disable`、`set sip-nat-trace disable`の後、`config system session-helper`のsipの項目を削除します。既存のセッションが書き換えられ続けないよう、セッションをクリア（または再起動）してください。',
			'Juniper SRX：`set security alg sip disable`の後、commitしてください。',
			'Linux・OpenWrtのルーター：nf_nat_sipとnf_conntrack_sipをアンロードして再び読み込まれないようにするか、SIPのconntrackヘルパーを付けるルール（`-j CT --helper sip`）を削除してください。OpenWrtではこのヘルパーはkmod-nf-nathelper-extraに含まれます。',
			'pfSenseとOPNsenseには独自のSIP ALGはありません。siproxdパッケージは同じように書き換えるSIPプロキシです。削除するか、PBXの通信を通さないようにしてください。',
		],
		skipped: 'スキップ',
		ok: 'OK',
		failed: '失敗',
		noAnswer: '応答なし',
		reachedThisHost: 'このマシンに到達',
		answeredNotThisHost: '応答あり（このマシン以外）',
	},
	'sip-alg': {
		sentence:
			'途中の何か（SIP ALG）がSIPメッセージ内のアドレスを書き換えています。片通話や無音になる、電話機が登録できない、通話の転送が失敗する、といった症状が出ます。',
		word: lines => (lines > 0 ? `書き換えあり（${lines}行）` : '書き換えあり'),
		untouched: '書き換えなし',
		turnOff:
			'ルーターと、PBXとインターネットの間にあるすべてのファイアウォールやモデムで、SIP ALGを無効にしてください。PBXは自分のパブリックアドレスをすでにSIPに書き込んでいます（外部アドレスの設定またはSTUN）。ALGはそれをもう一度、しばしば誤って書き換えるため、音声、登録、通話の転送が壊れます。',
		askIsp:
			'ISPの機器で設定がロックされている場合は、SIP ALGを無効にするか、機器をブリッジモードにするようISPに依頼してください。',
		runAgain: 'fwcheckをもう一度実行してください。SIP ALGの行がUDPとTCPの両方で「書き換えなし」になれば解決です。',
	},
	'sip-invite-dropped': {
		sentence: 'SIP OPTIONSは通りましたが、INVITEには応答がありません。途中の何か（多くはSIP ALG）が発信を止めています。',
		word: 'INVITE破棄',
		turnOff:
			'ルーターと経路上のすべてのファイアウォールで、SIP ALG（「SIP helper」「SIP Passthrough」）を無効にしてください。ALGは、メディアのアドレスとポートをすでに予期しているINVITEを破棄することが知られています。',
		inspection:
			'ファイアウォールに、PBXからのINVITEを破棄する「SIP inspection」、侵入防止、「VoIP protection」などのルールがないか確認し、PBXに対しては無効にしてください。',
	},
	'sip-no-answer': {
		sentence:
			'サーバーのSIPポートに送ったSIP要求に応答が返りません。このトランスポートでの送信SIPが途中でブロックされているか、失われています。',
		allowOutbound: (address, ports) =>
			`ルーター、ファイアウォール、このマシンで、${pbx(address)}からポート${sipPort(ports)}への送信SIPを、UDPとTCPの両方で許可してください。`,
		ispFilters:
			'ISPやモバイル回線によっては5060番ポートをブロックまたはフィルタリングしています。ISPに確認するか、VoIPプロバイダーへのSIPが別のポートを使えるか確認してください。',
		untilThisPasses:
			'これが通るまで、fwcheckはSIP ALGがSIPを書き換えているか判断できません。UDPポートのチェックには影響しません。',
	},
	'sip-service-ok': {
		sentence:
			'このマシンが通信したことのないアドレスからのSIP OPTIONSに、パブリックSIPポートのSIPサービスが応答しました。転送はそこに届いています。',
		word: status => (status ? `応答 ${status}` : '応答あり'),
		nothingToDo: '対応は不要です。インターネットからのSIPはPBXに届いています。',
	},
	'sip-service-silent': {
		sentence:
			'インターネットからパブリックSIPポートに送ったSIP OPTIONSに応答がありません。ポートがPBXに転送されていないか、何かが要求を破棄しています。',
		forward: (ports, address) =>
			`ルーターに静的なポート転送を追加してください：WANアドレスに届くUDPとTCPのポート${sipPort(ports)} → ${pbx(address)}、ポートは同じ、送信元アドレスは制限なし。`,
		hostFirewall: ports => `このマシンのファイアウォールが、${sipPort(ports)}番ポートで受信SIPを許可しているか確認してください。`,
		securitySettings:
			'PBXのセキュリティ設定によっては、未知のアドレスに何も応答しません（IPブロックリスト、fail2ban、トランクの許可リスト）。サーバーのアドレスがブロックされていないか確認するか、外部からの通話で転送を確かめてください。',
		sipAlgOff: 'ルーターのSIP ALG／SIPヘルパーを無効にしてください。想定外のSIPを破棄することがあります。',
	},
	'sip-private-contact': {
		sentence:
			'PBXはインターネットから応答しましたが、ViaかContactにプライベートアドレスが入っています。外部の電話機やトランクは届かないアドレスに送ってしまいます。',
		word: status => `応答${status ? ` ${status}` : 'あり'}、プライベートアドレス`,
		externalAddress: publicIp =>
			`PBXの外部（パブリック）アドレスを${publicIp ?? 'このネットワークのパブリックIPアドレス'}に、ローカルネットワークをLANの範囲に設定し、外部の相手にはパブリックアドレスを書くようにしてください。Asterisk PJSIP：transportのexternal_signaling_address、external_media_address、local_net。chan_sip：externaddrとlocalnet。FreeSWITCH：プロファイルのext-sip-ipとext-rtp-ip。`,
		stun: 'または、可能ならPBXにSTUNでパブリックアドレスを取得させてください。',
		noAlg: 'SIP ALGで直そうとしないでください。ALGは再度、しばしば誤って書き換えるため、すべて無効にしてください。',
	},
	'sip-reached-fwcheck': {
		sentence: 'インターネットからパブリックSIPポートに送ったSIP OPTIONSが、このマシンに届きました。転送先はここです。',
		nothingToDo: '対応は不要です。PBXがこのポートで待ち受ければ、インターネットからのSIPが届きます。',
	},
	'sip-elsewhere': {
		sentence:
			'インターネットからパブリックSIPポートに送ったSIP OPTIONSに応答がありましたが、このマシンからではありません。転送先が別の機器になっているか、ルーター自身がSIPに応答しています。',
		word: status => (status ? `応答 ${status}（このマシン以外）` : '応答あり（このマシン以外）'),
		pointForward: (ports, address) =>
			`UDPとTCPのポート${sipPort(ports)}の転送先を${pbx(address)}にしてください。ポートは同じ、送信元アドレスは制限なし。`,
		whatAnswered:
			'代わりに何が応答したか探してください。LAN上の古いPBX、電話機、アダプター、またはルーター内蔵の電話機能（ISPの機器の多くは5060番で独自のSIPクライアントを動かしています）です。そのサービスを移すか無効にしてください。',
	},
	'tcp-ok': {
		sentence: 'このマシンが通信したことのないアドレスからのTCP接続がこのポートに届きました。転送されています。',
		nothingToDo: '対応は不要です。このTCPポートはこのマシンに届いています。',
	},
	'tcp-elsewhere': {
		sentence:
			'パブリックポートへのTCP接続は受け付けられましたが、このマシンではありません。転送先が別のマシンになっているか、ルーター自身がそのポートで応答しています。',
		whereItPoints: '既存の転送先を確認してください。LAN上の別のアドレス（古いPBX、NAS、カメラ）が残っていることがよくあります。',
		routerUsesPort:
			'ルーター自身がそのポートを使っている可能性があります（リモート管理、VPNサーバー、5060/5061番の内蔵電話機能）。そのサービスを別のポートに移すか、無効にしてください。',
	},
	'tcp-refused': {
		sentence: 'パブリックポートへのTCP接続が拒否されました。転送されていないか、ルーターが拒否しています。',
		word: '拒否',
		tcpNotUdp: '転送がある場合は、UDPだけでなくTCPも対象になっているか、有効になっているか確認してください。',
		hostFirewall: 'このマシンのファイアウォールが、これらのポートで受信TCPを許可しているか確認してください。',
	},
	'tcp-no-answer': {
		sentence:
			'パブリックポートへのTCP接続にまったく応答がありません。ファイアウォールが破棄しているか、転送先のアドレスに何もありません。',
		unreachable: '到達不能',
		addressExists: '転送先が、実在して電源の入っているLANアドレスか確認してください。',
		allowInbound:
			'ルーターのファイアウォールとこのマシン（iptables/nftables、firewalld、Windows Firewall）で、これらのポートの受信TCPを許可してください。',
		ispFilters: 'ISPによっては、よく知られたポートへの受信TCPをフィルタリングしています。ほかが正しければISPに確認してください。',
	},
	'tcp-busy-reached': {
		sentence:
			'このマシンでは別のプログラムがこのTCPポートを使用中で、インターネットからの接続は受け付けられました。使用中のサービスが外部から応答している可能性が高いです。',
		word: 'このマシンで使用中、外部から応答あり',
		notReached: 'このマシンで使用中、外部から応答なし',
		heldBy: owner =>
			`このポートは${owner}が使用中です。それがPBXであれば、PBXのTCPサービスに外部から届いています。対応は不要です。`,
		findHolder: '`ss -ltnp`（Linux）または`netstat -ano`（Windows）で、このポートを使用しているプログラムを確認してください。',
		cannotProve:
			'ポートが使用中の間は、接続が別の機器ではなくこのマシンに届いたことをfwcheckは証明できません。確かめるには、そのプログラムを止めてもう一度チェックしてください。',
	},
	'services-unavailable': {
		sentence: '`fwcheck serve`で動くサーバーが必要です。SIP ALG、SIPポート、TCPのチェックはスキップしました。',
		runServe:
			'パブリックIPアドレスを2つ持つマシンで`fwcheck serve --primary A --alternate B`を実行し、--stunでfwcheckにそのサーバーを指定してください。',
		portsStand: 'UDPポートのチェックはこれに左右されません。その結果はそのまま有効です。',
	},
	summary: {
		allChecks: 'SIP・TCPチェック',
		skipped: why => `スキップ：${why}`,
		sipAlg: 'SIP ALG',
		sipPort: port => `SIPポート ${port}`,
		sipPortHeld: (port, owner) => `SIPポート ${port}、このマシンで使用中${owner ? `（${owner}）` : ''}`,
		tcpPorts: ports => `TCP ${ports}`,
		tcpCount: (passed, total, busy) => `${passed}/${total} OK${busy > 0 ? `、使用中 ${busy}` : ''}`,
		byTransport: (udpWord, tcpWord) => `UDP ${udpWord}、TCP ${tcpWord}`,
		separator: '、',
		and: (first, second) => `${first}と${second}`,
	},
};
