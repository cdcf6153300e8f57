import type {Messages} from '../messages.js';

export const cli: Messages['cli'] = {
	help: maxServers => `
	使い方
	  $ fwcheck [オプション]         UDPポートがこのマシンへ1対1で転送されているか
	                                 チェックします
	  $ fwcheck --demo               同じチェックをループバック上の内蔵サーバー
	                                 に対して行います
	  $ fwcheck --demo --faults      あらゆる種類の障害がある模擬ルーターで
	                                 チェックします
	  $ fwcheck serve [オプション]   他の人がチェックに使う2アドレスの
	                                 STUNサーバーを起動します
	  $ fwcheck merge FILE...        多数の --json レポートを1つの表に（悪い順）

	オプション
	  --ports, -p <一覧>     チェックするポート（既定値 9000-10999）
	                         例：--ports 5060,9000-10999
	  --stun, -s <ホスト>    2つのアドレスを持つSTUNサーバー。指定順に試します。
	                         繰り返し指定するか、カンマ区切りで指定します。
	                         最大${maxServers}台、各サーバーを1回ずつ試します
	                         例：--stun stun.example.net --stun 198.51.100.7:3478
	  --bind <ip>            ポートをチェックするローカルアドレス
	                         （既定値：すべて）
	                         例：--bind 192.168.1.20
	  --public-ip <ip>       別のパブリックIPから出ていくポートを失敗とします
	                         例：--public-ip 203.0.113.5
	  --rate <n>             毎秒のパケット数の上限（整数。自動でも減速します）
	                         例：--rate 200
	  --window <n>           同時にチェックするポート数の上限（整数）
	                         （既定値：4096、または収まるだけ）
	  --tcp <一覧>           サーバーが接続し返すTCPポート（最大64）
	                         （\`fwcheck serve\` で起動したサーバーが必要です）
	                         例：--tcp 5061,8089
	  --sip-port <n>         PBXのSIPポート、UDPとTCP（既定値 5060）
	  --no-sip               SIP ALGテストとSIPサービスのチェックを省略します
	  --no-router            ルーターへの問い合わせ（NAT-PMP、PCP、UPnP）と
	                         最初のホップの追跡を行いません
	  --router-probe-map     ルーターがWANアドレスを教えない場合に、短いPCP
	                         マッピングを1つ作ってすぐ削除し、アドレスを調べます
	                         （それ以外は何も変更しません）
	  --no-host-firewall     このマシンのファイアウォールを読みません
	                         （nft、iptables。root権限が必要です）
	  --json                 JSONレポートを1つだけ出力します
	  --prometheus <file>    node_exporter の textfile collector 用にも結果を
	                         書き込みます
	                         例：--prometheus /var/lib/node_exporter/fwcheck.prom
	  --no-tui               対話型の表の代わりにテキスト行で出力します（端末で
	                         ない場合や TERM=dumb の場合も同様）
	  --watch [秒]           その後、失敗・使用中のポートを数秒ごとに再
	                         チェックします（既定値 10、最大 3600）。合格
	                         するまで、最長1時間。1回ごとに1行を表示し、
	                         終了コードは最後の回のものです。表の画面では
	                         自動で始まります（w で停止）。--json では
	                         stdout に最終レポートだけを出し、各回の行と
	                         ベルは stderr に出します
	  --no-bell              監視中にポートが合格になってもベルを鳴らし
	                         ません
	  --demo                 127.0.0.1 と 127.0.0.2 でSTUNサーバーを起動して
	                         チェックします（ツールの動作を見せるもので、
	                         ループバックにはチェックするNATがありません）
	  --faults               --demo と併用：一部のポートを転送し、他をブロック・
	                         変換・占有する模擬ルーターで、すべての判定と
	                         対処方法を確認できます
	  --lang <en|it|ja>      表示する言語。--json はどの言語でも同じです
	                         （既定値：LC_ALL、LC_MESSAGES、LANG から）
	  --help                 このヘルプを表示します
	  --version              バージョンを表示します

	merge のオプション
	  --markdown             表をMarkdownで出力
	  --csv                  表をCSVで出力
	  --json                 行を1つのJSONドキュメントで出力

	serve のオプション
	  --primary <ip>         応答する1つ目のアドレス
	                         例：--primary 198.51.100.7
	  --alternate <ip>       第2アドレス（テスト2のCHANGE-REQUEST用）
	                         例：--alternate 198.51.100.8
	  --port <n>             プライマリポート（既定値 3478）
	  --alt-port <n>         代替ポート（既定値：--port + 1）
	  --sip-port <n>         SIPエコーのポート、UDPとTCP、--primary 上
	                         （既定値 5060）
	  --control-port <n>     制御サービスのポート、TCP、--primary 上
	                         （既定値 3478）
	  --no-sip-echo          SIPエコーなし（クライアントがルーターのSIP ALGを
	                         見つけるのに使います）
	  --no-sip-options       --alternate からクライアント自身のIPへSIP OPTIONSを
	                         送りません
	  --no-connect-back      --alternate からクライアント自身のIPへTCP接続を
	                         開きません（どちらも --alternate が必要です。制限は
	                         source/server/README.md を参照）
	  --metrics <ip:port>    サーバーのカウンターをPrometheusの /metrics で公開
	                         （そのアドレスのみ）例：--metrics 127.0.0.1:9478

	終了コード
	  0 すべてのポートがOK、1 一部のポートが失敗、2 使い方の誤り、3 チェックを実行
	  できなかったか、レポートを書き込めなかった、130 キャンセル（Ctrl+C、
	  SIGTERM、SIGHUP）

	例
	  $ fwcheck
	  $ fwcheck --ports 5060,9000-9099 --stun stun.example.net --json > report.json
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8
	  $ fwcheck serve --primary 198.51.100.7 --alternate 198.51.100.8 --no-connect-back
`,
	usage: problem => `fwcheck: ${problem}（fwcheck --help を参照）`,
	couldNotWriteReport: problem => `fwcheck: レポートを書き込めませんでした：${problem}`,
	readerClosed: '出力先が閉じられました（EPIPE）',
	couldNotWrite: (file, problem) => `fwcheck: ${file} を書き込めませんでした：${problem}`,
	langValue: (choices, typed) => `--lang には ${choices} のいずれかを指定してください（"${typed}" は使えません）`,
	watchSeconds: (max, value) => `--watch には1から${max}までの整数の秒数を指定してください（"${value}" は不可）`,
	notHostPort: text => `--stun: "${text}" は host または host:port の形式ではありません`,
	tooManyServers: (most, count) => `--stun: サーバーは最大${most}台です（${count}台指定されています）`,
	notIp: (flag, value) => `${flag}: "${value}" はIPアドレスではありません`,
	wholeNumber: (flag, given) => `${flag} には1以上の整数を指定してください${given}`,
	notValue: value => `（${value} は使えません）`,
	bindFamily: (bind, family, server, serverFamily) =>
		`--bind ${bind} はIPv${family}ですが、サーバー ${server} はIPv${serverFamily}です。同じ種類のアドレスを指定してください`,
	tooManyTcp: (most, count) => `--tcp: ポートは最大${most}個です（${count}個指定されています）`,
	sipPortRange: '--sip-port には1から65535までのポートを指定してください',
	noSuchAddress: address => `--bind: このマシンにはアドレス ${address} がありません`,
	notAPort: item => `"${item}" はポートでも、9000-10999 のような範囲でもありません`,
	portOutOfRange: port => `ポート${port}は範囲外です（1-65535）`,
	rangeBackwards: item => `範囲 ${item} は開始と終了が逆です`,
	cannotNegate: (negated, flag) => `${negated}: ${flag} は値を取るオプションのため、無効にはできません`,
	needsValue: flag => `${flag} には値が必要です`,
	givenTwice: (flag, values) => `${flag} が複数回指定されています（${values}）。1回だけ指定してください`,
	thenJoin: '、次に ',
	unknownOption: options => `不明なオプションです：${options}`,
	unknownOptionFor: (options, command) => `${command} では使えないオプションです：${options}`,
	unexpected: word => `予期しない引数です："${word}"`,
	unknownCommand: command => `不明なコマンドです："${command}"`,
	mergeNeedsFiles: 'merge にはレポートファイルが必要です：fwcheck merge FILE...',
	chooseOne: formats => `${formats} のいずれか1つを指定してください`,
	faultsWithDemo: '--faults は --demo と一緒に指定してください',
	probeMapNeedsRouter: '--router-probe-map はルーターに問い合わせます。--no-router を外してください',
	demoOwnServer: '--demo は内蔵のサーバーを使います。--stun を外してください',
	serveNeedsPrimary: 'serve には --primary <ip> が必要です（テスト2には --alternate <ip> も）',
	servePorts: '--port と --alt-port にはポート番号（1-65535）を指定してください',
	alternatePastRange: (port, alternate) =>
		`--port ${port}: 代替ポートが${alternate}となり65535を超えます。--alt-port <n> で指定してください`,
	serveServicePorts: '--sip-port と --control-port にはポート番号（1-65535）を指定してください',
	needsAlternate: flag => `${flag} は第2アドレスから送信するため、--alternate <ip> が必要です`,
	controlNeedsAlternate: '--control-port には --alternate <ip> が必要です。これがないと制御サービスは起動しません',
	metricsAddress: value => `--metrics ${value}: アドレスとポートを指定してください（例：127.0.0.1:9478、[::1]:9478）`,
	sipPortWithoutEcho: '--sip-port と --no-sip-echo は同時に使えません。どちらかを外してください',
	skipped: (file, problem) => `fwcheck: ${file} をスキップしました：${problem}`,
	noReportToMerge: 'fwcheck: まとめるレポートがありません',
	demoCaption:
		'デモ：ループバック上のfwcheck内蔵サーバーが相手です。NATがないため、お使いのネットワークではなくツールの動作を示します。',
	demoNotice:
		'デモ：fwcheckは 127.0.0.1 と 127.0.0.2 上の内蔵STUNサーバーに対してチェックしています。ループバックにはルーターもNATもないため、この結果はツールの動作を示すもので、このネットワークがポート転送しているかどうかは示しません。',
	demoSlowdown: reason => `${reason}：このマシンではデモ用サーバーの処理が追いつきませんでした`,
	demoTag: 'デモ',
	simulationTag: 'シミュレーション',
	simulation: {
		faults:
			'シミュレーション（--demo --faults）：fwcheck内の架空のルーターで、あらゆる種類の障害があります。お使いのネットワークとは無関係です。',
		noSecondLoopback:
			'シミュレーション：このマシンは 127.0.0.1 でしか応答しないため、デモはfwcheck内の模擬ネットワークで動いています。お使いのネットワークとは無関係です。',
		sharedLoopbackPort:
			'シミュレーション：このマシンでは 127.0.0.1 と 127.0.0.2 で同じポートを使えないため、デモはfwcheck内の模擬ネットワークで動いています。お使いのネットワークとは無関係です。',
	},
	simulatedRouter: '模擬ルーターの設定：',
	layout: {
		allForwarded: pbx => `チェックするすべてのポートを ${pbx} へ1対1で転送`,
		forwarded: (ports, pbx) => `${ports}：${pbx} へ1対1で転送`,
		heldBy: (ports, owner) => `${ports}：PBX上の ${owner} が使用中`,
		translated: (ports, oldPbx) => `${ports}：${oldPbx}（古いPBX）へ転送しているため、ルーターがポートを変換`,
		fullCone: ports => `${ports}：転送なし。ただし、ポートから送信した後は受信を通す（フルコーンNAT）`,
		notForwarded: ports => `${ports}：転送なし`,
		blockedOut: ports => `${ports}：送信をブロック`,
	},
};
