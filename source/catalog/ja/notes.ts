import type {Messages} from '../messages.js';

export const notes: Messages['notes'] = {
	algRewrite: (plain, xored) =>
		`MAPPED-ADDRESS ${plain} が XOR-MAPPED-ADDRESS ${xored} と一致しません。経路上の機器がパケット内のアドレスを書き換えています（SIP ALGなどのALG）。無効にしてください。`,
	test1Error: (code, reason) => `サーバーはテスト1にエラー ${code} ${reason} で応答しました`,
	test1ErrorNoReason: code => `サーバーはテスト1にエラー ${code} で応答しました`,
	test2WrongSource: (count, sources) =>
		`テスト2で、サーバーの第2IP以外のアドレスから応答が${count}件ありました（${sources}）。これらは数えません。`,
	test3WithoutTest2:
		'テスト3は合格しましたが、テスト2は不合格でした。転送はあるようですが、このポートが送信した後、第2アドレスからの応答が破棄されたか（ルーターまたはこのマシンのステートフルフィルター）、失われました。',
	staleTest3: age =>
		`このポートはこのチェックの${age}前にSTUNサーバーへ送信しています。応答を通すルーターではそのマッピングがまだ開いている可能性があり、転送がなくてもテスト3がOKになることがあります。`,
	staleReport: (count, ranges, age, wait) =>
		`テスト3は、このマシンで${age}前のチェックに使った${count}個のポート（${ranges}）で合格しました。応答だけを通すルーターでは、それらのマッピングがまだ開いている可能性があります。確実に確かめるには、${wait}以上たってから再実行してください。`,
	staleReportOne: (ranges, age, wait) =>
		`テスト3は、このマシンで${age}前のチェックに使った1個のポート（${ranges}）で合格しました。応答だけを通すルーターでは、そのマッピングがまだ開いている可能性があります。確実に確かめるには、${wait}以上たってから再実行してください。`,
	moreRanges: (shown, more) => `${shown} ほか${more}範囲`,
	sipEchoOtherAddress: (transport, seen, publicAddress) =>
		`SIPエコーには、${transport}のSIPがSTUNテストと同じ ${publicAddress} ではなく ${seen} から届きました。ルーターはSIPを別の経路で送信しています。`,
	needsFwcheckServe: 'これらのチェックには `fwcheck serve` で動かしたサーバーが必要です。',
	hairpinCancelled: 'チェックはキャンセルされました',
	hairpinNoPublicAddress: 'パブリックアドレスが不明です',
	hairpinNoPass: '合格したポートがないため、折り返す転送がありません',
	hairpinCannotListen: (port, why) => `UDP ${port} で待ち受けできません: ${why}`,
	hairpinCannotOpen: why => `ソケットを開けません: ${why}`,
	hairpinCameBack: target => `${target} へ送ったパケットがこのマシンに戻りました`,
	hairpinSendFailed: (target, why) => `${target} への送信: ${why}`,
	hairpinNoneBack: (sends, target, ms) => `${target} へ${sends}個のパケットを送りましたが、${ms} ms 以内に1つも戻りませんでした`,
	hopsNoTarget: '経路を調べる先のSTUNサーバーのアドレスがありません',
	hopsUnsupported: platform => `${platform} では経路を調べられません`,
	hopsNotInstalled: tool => `${tool} がインストールされていません`,
	hopsNone: (tool, ms) => `${tool} は ${ms} ms 以内にホップを見つけられませんでした`,
	noGateway: 'デフォルトゲートウェイが見つかりません',
	natPmpNoAddress: why => `NAT-PMPはパブリックアドレスなしで応答しました（${why}）`,
	upnpDescriptionUnreadable: (url, why) => `UPnP: ${url} の記述を読めません（${why}）`,
	upnpNoWanService: 'UPnP: ゲートウェイ機器にWAN接続サービスがありません',
	upnpNoExternalAddress: 'UPnP: ルーターが外部アドレスを返しません',
	upnpListStopped: why => `UPnPマッピング一覧: ${why}`,
	pcpNoAnswer: 'PCP MAPの確認: PCPの応答がありません',
	pcpResult: result => `PCP MAPの確認: ${result}`,
	pcpDeleted: 'PCP MAPの確認: マッピングを削除しました',
	pcpDeleteUnanswered: 'PCP MAPの確認: 削除に応答がありません（マッピングは自然に期限切れになります）',
	wanAddressesDiffer: (natPmp, upnp) => `NAT-PMPは ${natPmp}、UPnPは ${upnp} と答えています`,
	ownerNotFound: why => `ポートを使っているプログラムが見つかりません: ${why}。`,
	ownerNoPidColumn:
		'ポートを使っているプログラムが見つかりません。netstat -anoがこのポートをPID列なしで表示しています（Wineのnetstatと同じ）。',
	ownerNameNotFound: why => `プログラム名が見つかりません: ${why}。`,
	ownerNoTasklistLine: 'プログラム名が見つかりません。tasklistはこのPIDの行を表示しませんでした。',
	firewallNeedsRoot: 'このマシンのファイアウォールは読み取っていません。root権限が必要です（sudoでfwcheckを実行してください）。',
	firewallNotRead: why => `このマシンのファイアウォールは読み取っていません: ${why}。`,
	firewallNoTool: 'nftもiptables-saveもインストールされていません',
	firewallBlocksOne: tool =>
		`このマシンのファイアウォール（${tool}）が、チェックしたポートのうち1つの範囲への受信をブロックしています。`,
	firewallBlocksMany: (tool, count) =>
		`このマシンのファイアウォール（${tool}）が、チェックしたポートのうち${count}個の範囲への受信をブロックしています。`,
	firewallBlocksOutboundOne: tool =>
		`このマシンのファイアウォール（${tool}）が、テスト1に失敗したポートのうち1つの範囲からの送信をブロックしています。`,
	firewallBlocksOutboundMany: (tool, count) =>
		`このマシンのファイアウォール（${tool}）が、テスト1に失敗したポートのうち${count}個の範囲からの送信をブロックしています。`,
	firewallLetsIn: tool => `このマシンのファイアウォール（${tool}）は、チェックしたポートへの受信を許可しています。`,
	firewallNotNeeded:
		'このマシンのファイアウォールは読み取っていません。不合格のポートやサービスがなく、このマシンがブロックしたものはないためです。',
	firewallNotNeededCancelled:
		'このマシンのファイアウォールは読み取っていません。不合格のポートやサービスが出る前にチェックがキャンセルされました。',
	firewallOtherPlatform: platform =>
		`このマシンのファイアウォールは読み取っていません。fwcheckが読み取れるのはLinuxとWindowsだけです（${platform} は対象外）。`,
	windowsFirewallNotRead: why => `Windowsファイアウォールは読み取っていません: ${why}。`,
	windowsFirewallLetsIn: 'Windowsファイアウォールは、チェックしたポートへの受信を許可しています。',
	cancelledTest1Once: 'テスト1が1回失敗しましたが、再チェックの前にチェックがキャンセルされたため確定していません。',
	cancelledTest2Once: 'テスト2が1回失敗しましたが、再チェックの前にチェックがキャンセルされたため確定していません。',
	cancelledTests12Once: 'テスト1と2が1回失敗しましたが、再チェックの前にチェックがキャンセルされたため確定していません。',
	cancelledNotRechecked: '再チェックしていません。確定する前にチェックがキャンセルされました。',
	cancelledTest3Passed: 'テスト3は合格しましたが、テスト1と2は終わっていません。チェックがキャンセルされました。',
	cancelledTest3Confirmed:
		'テスト3は失敗し、再チェックでも確認されました。テスト1と2は実行していません。チェックがキャンセルされました。',
	cancelledTest3Once:
		'テスト3が1回失敗しましたが再チェックしておらず、テスト1と2も実行していません。確定する前にチェックがキャンセルされました。',
	notCheckedCancelled: '未チェック: チェックがキャンセルされました。',
	notCheckedNoServer: '未チェック: 使えるSTUNサーバーがありません。',
	notChecked: '未チェック。',
	ownerNoSocketLine:
		'ポートを使っているプログラムが見つかりません。netstat -anoは、fwcheckが読み取れるソケットの行を表示しませんでした。',
	ownerNoCodePage: 'プログラム名を読み取れません。chcpからもreg queryからも、デコードに使うコードページが得られませんでした。',
	windowsBlocksOne: 'Windowsファイアウォールが、チェックしたポートのうち1つの範囲への受信をブロックしています。',
	windowsBlocksMany: count => `Windowsファイアウォールが、チェックしたポートのうち${count}個の範囲への受信をブロックしています。`,
	windowsBlocksOneByRule: rule =>
		`Windowsファイアウォールが、チェックしたポートのうち1つの範囲への受信をブロックしています。ブロックの規則「${rule}」は許可の規則より優先されます。無効にするか、対象を狭めてください。`,
	windowsBlocksManyByRule: (count, rule) =>
		`Windowsファイアウォールが、チェックしたポートのうち${count}個の範囲への受信をブロックしています。ブロックの規則「${rule}」は許可の規則より優先されます。無効にするか、対象を狭めてください。`,
	windowsFirewallNotReadPlain: 'Windowsファイアウォールは読み取っていません。',
	windowsRulesNotRead: why => `規則は読み取れませんでした（${why}）。`,
	windowsOneRuleUnreadable: '1つの規則を読み取れませんでした。',
	windowsRulesUnreadable: count => `${count}個の規則を読み取れませんでした。`,
	noTest3Because: reason => `このサーバーはテスト3を実行できません。応答しか通さないルーターでもokと表示されます。${reason}。`,
	recheckFirst: '失敗を確定する前に低速で再チェックしています',
	recheckLater: '再チェックで判定が変わったため、失敗したすべてのポートをさらに低速で再チェックしています',
	test3RecheckFirst: 'テスト3: 失敗を確定する前に低速で再チェックしています',
	test3RecheckLater: 'テスト3: 再チェックで判定が変わったため、失敗したすべてのポートをさらに低速で再チェックしています',
	lossSlowdown: percent => `サーバーへの要求の${percent}%に応答がありませんでした`,
};
