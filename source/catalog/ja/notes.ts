import type {Messages} from '../messages.js';

export const notes: Messages['notes'] = {
	algRewrite: (plain, xored) =>
		`MAPPED-ADDRESS ${plain} が XOR-MAPPED-ADDRESS ${xored} と一致しません。経路上の機器がパケット内のアドレスを書き換えています（SIP ALG などの ALG）。無効にしてください。`,
	test1Error: (code, reason) => `サーバーはテスト1にエラー ${code} ${reason} で応答しました`,
	test1ErrorNoReason: code => `サーバーはテスト1にエラー ${code} で応答しました`,
	test2WrongSource: (count, sources) =>
		`テスト2で、サーバーの2番目のIP以外のアドレスから応答が${count}件ありました（${sources}）。これらは数えません。`,
	test3WithoutTest2:
		'テスト3は届きましたが、テスト2は届きませんでした。転送はあるようですが、このポートが送信した後、2番目のアドレスからの応答が破棄されたか（ルーターまたはこのホストのステートフルフィルター）、失われました。',
	staleTest3: age =>
		`このポートはこのチェックの${age}前にSTUNサーバーへ送信しています。応答を通すルーターではそのマッピングがまだ開いている可能性があり、転送がなくてもテスト3が ok になることがあります。`,
	staleReport: (count, ranges, age, wait) =>
		`テスト3は、このホストのチェックが${age}前に使った${count}個のポート（${ranges}）で合格しました。応答だけを通すルーターでは、それらのマッピングがまだ開いています。確実に確かめるには、${wait}以上たってから再実行してください。`,
	staleReportOne: (ranges, age, wait) =>
		`テスト3は、このホストのチェックが${age}前に使った1個のポート（${ranges}）で合格しました。応答だけを通すルーターでは、そのマッピングがまだ開いています。確実に確かめるには、${wait}以上たってから再実行してください。`,
	moreRanges: (shown, more) => `${shown} ほか${more}範囲`,
	sipEchoOtherAddress: (transport, seen, publicAddress) =>
		`SIPエコーには、${transport} の SIP が STUN テストと同じ ${publicAddress} ではなく ${seen} から届きました。ルーターは SIP を別の経路で送信しています。`,
	needsFwcheckServe: 'これらのチェックには `fwcheck serve` で動かしたサーバーが必要です。',
	hairpinCancelled: 'チェックは中止されました',
	hairpinNoPublicAddress: 'パブリックアドレスが不明です',
	hairpinNoPass: '合格したポートがないため、折り返す転送がありません',
	hairpinCannotListen: (port, why) => `UDP ${port} で待ち受けできません: ${why}`,
	hairpinCannotOpen: why => `ソケットを開けません: ${why}`,
	hairpinCameBack: target => `${target} へ送ったパケットがこのホストに戻りました`,
	hairpinSendFailed: (target, why) => `${target} への送信: ${why}`,
	hairpinNoneBack: (sends, target, ms) => `${target} へ${sends}個のパケットを送りましたが、${ms} ms 以内に1つも戻りませんでした`,
	hopsNoTarget: '経路を調べる先のSTUNサーバーのアドレスがありません',
	hopsUnsupported: platform => `${platform} では経路を調べられません`,
	hopsNotInstalled: tool => `${tool} がインストールされていません`,
	hopsNone: (tool, ms) => `${tool} は ${ms} ms 以内にホップを見つけられませんでした`,
	noGateway: 'デフォルトゲートウェイが見つかりません',
	natPmpNoAddress: why => `NAT-PMP はパブリックアドレスなしで応答しました（${why}）`,
	upnpDescriptionUnreadable: (url, why) => `UPnP: ${url} の記述を読めません（${why}）`,
	upnpNoWanService: 'UPnP: ゲートウェイ機器にWAN接続サービスがありません',
	upnpNoExternalAddress: 'UPnP: ルーターが外部アドレスを返しません',
	upnpListStopped: why => `UPnP マッピング一覧: ${why}`,
	pcpNoAnswer: 'PCP MAP の確認: PCP の応答がありません',
	pcpResult: result => `PCP MAP の確認: ${result}`,
	pcpDeleted: 'PCP MAP の確認: マッピングを削除しました',
	pcpDeleteUnanswered: 'PCP MAP の確認: 削除に応答がありません（マッピングは自然に期限切れになります）',
	wanAddressesDiffer: (natPmp, upnp) => `NAT-PMP は ${natPmp}、UPnP は ${upnp} と答えています`,
	ownerNotFound: why => `ポートを使っているプログラムが見つかりません: ${why}。`,
	ownerNoPidColumn:
		'ポートを使っているプログラムが見つかりません。netstat -ano がこのポートを PID 列なしで表示しています（Wine の netstat と同じ）。',
	ownerNameNotFound: why => `プログラム名が見つかりません: ${why}。`,
	ownerNoTasklistLine: 'プログラム名が見つかりません。tasklist はこの PID の行を表示しませんでした。',
	firewallNeedsRoot:
		'このホストのファイアウォールは読み取っていません。root 権限が必要です（sudo で fwcheck を実行してください）。',
	firewallNotRead: why => `このホストのファイアウォールは読み取っていません: ${why}。`,
	firewallNoTool: 'nft も iptables-save もインストールされていません',
	firewallBlocksOne: tool =>
		`このホストのファイアウォール（${tool}）が、チェックしたポートのうち1つの範囲への受信をブロックしています。`,
	firewallBlocksMany: (tool, count) =>
		`このホストのファイアウォール（${tool}）が、チェックしたポートのうち${count}個の範囲への受信をブロックしています。`,
	firewallLetsIn: tool => `このホストのファイアウォール（${tool}）は、チェックしたポートへの受信を許可しています。`,
	firewallOtherPlatform: platform =>
		`このホストのファイアウォールは読み取っていません。fwcheck が読み取れるのは Linux と Windows だけです（${platform} は対象外）。`,
	windowsFirewallNotRead: why => `Windows ファイアウォールは読み取っていません: ${why}。`,
	windowsFirewallLetsIn: 'Windows ファイアウォールは、チェックしたポートへの受信を許可しています。',
	cancelledTest1Once: 'テスト1が1回失敗しましたが、再チェックの前にチェックが中止されたため確定していません。',
	cancelledTest2Once: 'テスト2が1回失敗しましたが、再チェックの前にチェックが中止されたため確定していません。',
	cancelledTests12Once: 'テスト1と2が1回失敗しましたが、再チェックの前にチェックが中止されたため確定していません。',
	cancelledNotRechecked: '再チェックしていません。確定する前にチェックが中止されました。',
	cancelledTest3Passed: 'テスト3は合格しましたが、テスト1と2は終わっていません。チェックが中止されました。',
	cancelledTest3Confirmed:
		'テスト3は失敗し、再チェックでも確認されました。テスト1と2は実行していません。チェックが中止されました。',
	cancelledTest3Once:
		'テスト3が1回失敗しましたが再チェックしておらず、テスト1と2も実行していません。確定する前にチェックが中止されました。',
	notCheckedCancelled: '未チェック: チェックが中止されました。',
	notCheckedNoServer: '未チェック: 使えるSTUNサーバーがありません。',
	notChecked: '未チェック。',
	ownerNoSocketLine:
		'ポートを使っているプログラムが見つかりません。netstat -ano は、fwcheck が読み取れるソケットの行を表示しませんでした。',
	ownerNoCodePage: 'プログラム名を読み取れません。chcp からも reg query からも、デコードに使うコードページが得られませんでした。',
	windowsBlocksOne: 'Windows ファイアウォールが、チェックしたポートのうち1つの範囲への受信をブロックしています。',
	windowsBlocksMany: count =>
		`Windows ファイアウォールが、チェックしたポートのうち${count}個の範囲への受信をブロックしています。`,
	windowsBlocksOneByRule: rule =>
		`Windows ファイアウォールが、チェックしたポートのうち1つの範囲への受信をブロックしています。ブロックの規則「${rule}」は許可の規則より優先されます。無効にするか、対象を狭めてください。`,
	windowsBlocksManyByRule: (count, rule) =>
		`Windows ファイアウォールが、チェックしたポートのうち${count}個の範囲への受信をブロックしています。ブロックの規則「${rule}」は許可の規則より優先されます。無効にするか、対象を狭めてください。`,
	windowsFirewallNotReadPlain: 'Windows ファイアウォールは読み取っていません。',
	windowsRulesNotRead: why => `規則は読み取れませんでした（${why}）。`,
	windowsOneRuleUnreadable: '1つの規則を読み取れませんでした。',
	windowsRulesUnreadable: count => `${count}個の規則を読み取れませんでした。`,
	noTest3Because: reason => `このサーバーはテスト3を実行できません。応答しか通さないルーターでもokと表示されます。${reason}。`,
	recheckFirst: '失敗を確定する前にゆっくり再チェックしています',
	recheckLater: '再チェックで判定が変わったため、失敗したすべてのポートをさらにゆっくり再チェックしています',
	test3RecheckFirst: 'テスト3: 失敗を確定する前にゆっくり再チェックしています',
	test3RecheckLater: 'テスト3: 再チェックで判定が変わったため、失敗したすべてのポートをさらにゆっくり再チェックしています',
	lossSlowdown: percent => `サーバーへの要求の${percent}%に応答がありませんでした`,
};
