import type {Messages} from '../messages.js';

const moreRanges = (count: number) => `ほか${count}範囲`;
/** "UDP 9000-9099", or 「チェックしたUDPポート」 when no port is named. */
const udp = (ports: string | undefined): string => (ports ? `UDP ${ports}` : 'チェックしたUDPポート');

export const remediation: Messages['remediation'] = {
	path: {
		cgnat: [
			'ISPがルーターの手前にキャリアグレードNAT（CGNAT）を置いています。こちら側のポート転送ではPBXに届きません。ISPにパブリックIPv4アドレス（「固定IP」「グローバルIP」「CGNATなし」などと呼ばれます）を依頼してください。',
			'ISPが対応できない場合は、パブリックアドレスを得られるVPNやトンネル、または受信のポート転送なしで動くSIPトランク／SBCを使ってください。',
		],
		doubleNat: (outer, ports, wan, pbx) =>
			`ルーターの手前に2つ目のNAT（ISPのモデム／ルーター${outer ? `、${outer}` : ''}）があります。そのモデムをブリッジモードにしてルーターがパブリックアドレスを持つようにするか、両方の機器で${udp(ports)}を転送してください。モデムではルーターのWANアドレス${wan ? `（${wan}）` : ''}へ、ルーターでは${pbx ? `PBX（${pbx}）` : 'PBX'}へ転送します。`,
		noNat: ports =>
			`このマシン自身がパブリックアドレスを持っています。転送するルーターはありません。このマシンのファイアウォールと、ISPが運用するファイアウォールで、${udp(ports)}の受信を許可してください。`,
		meaning: {
			edge: 'ルーターがパブリックアドレスを持っています。ルーターでの転送だけで十分です',
			'double-nat': 'ルーターの手前に2つ目のNATがあります。両方で転送するか、モデムをブリッジにしてください',
			cgnat: 'ISPのCGNATが手前にあります。こちら側の転送では届きません',
			'no-nat': 'このマシンがパブリックアドレスを持っています。このマシンのファイアウォールだけが関係します',
			unknown: '経路上のNATの数を判別できませんでした',
		},
		word: {
			edge: 'エッジ',
			'double-nat': '二重NAT',
			cgnat: 'CGNAT',
			'no-nat': 'NATなし',
			unknown: '不明',
		},
		line: (word, outer, meaning) => `経路：${word}${outer ? `（${outer}）` : ''}：${meaning}。`,
		noHops: '経路を取得できませんでした',
	},
	mappings: {
		elsewhere: (ranges, host, pbx, count) =>
			`ルーターはUDP ${ranges}をこのマシン（${pbx}）ではなく${host}に転送しています。${count === 1 ? 'その転送' : 'それらの転送'}の転送先を${pbx}にしてください。`,
		moved: (external, internal) =>
			`ルーターはUDP ${external}をポート${internal}に転送しています。ポート番号は同じにする必要があります。`,
		missing: (mappings, ranges, more) =>
			`ルーターのUPnP一覧（${mappings}件）に、UDP ${ranges}${more > 0 ? `（${moreRanges(more)}）` : ''}の項目がありません。ルーターの管理画面で手動設定した転送は、ここに表示されないことがあります。`,
	},
	router: {
		noGateway: 'ルーター：デフォルトゲートウェイが見つかりません。',
		noAnswer: gateway => `ルーター ${gateway}：NAT-PMP、PCP、UPnPの応答なし（無効にしているルーターが多く、問題ありません）。`,
		list: (first, last) => `${first}、${last}`,
		separator: '、',
		answered: (gateway, protocols, _count, wan, mappings) =>
			`ルーター ${gateway}：${protocols}が応答、${wan ? `WAN ${wan}` : 'WANアドレスの通知なし'}${mappings < 0 ? '' : `、マッピング${mappings}件`}。`,
	},
	hairpin: {
		pass: '動作します。LAN上の電話機はパブリックアドレスでPBXに届きます',
		fail: '動作しません。LAN上の電話機はPBXのLANアドレス（またはスプリットDNS）を使う必要があります',
		skipped: '未テスト',
		line: (words, detail) => `ヘアピン：${words}${detail ? `（${detail}）` : ''}。`,
	},
	hostFirewall: {
		blocks: (tool, protocol, ports, except, rule) =>
			`このマシンのファイアウォール${tool ? `（${tool}）` : ''}が受信${protocol} ${ports}をブロックしています${except ? `（${except}からを除く）` : ''}：${rule ?? '既定のポリシー'}。`,
		answersLost: '前のルールで応答を通していない限り、これらのポートから送った要求への応答も破棄されます。',
		allowHere: commands => `ここで許可するには：\`${commands}\``,
		alsoBlocks: count =>
			`このマシンのファイアウォールは、これらのポートのうち、さらに${count}範囲をブロックしています。「このマシンのファイアウォール」の欄を見てください。`,
		notEvaluated: (protocol, ports, more, rule, construct) =>
			`このマシンのファイアウォールに、受信${protocol} ${ports}${more > 0 ? `（${moreRanges(more)}）` : ''}についてfwcheckが評価できないルールがあります：${rule ?? 'ルール'}${construct ? `（${construct}）` : ''}。これらのポートで受信${protocol}を許可しているか確認してください。`,
		blocksOutbound: (tool, protocol, ports, rule) =>
			`このマシンのファイアウォール${tool ? `（${tool}）` : ''}がポート${ports}からの送信${protocol}をブロックしています：${rule ?? '既定のポリシー'}。`,
		notEvaluatedOutbound: (protocol, ports, more, rule, construct) =>
			`このマシンのファイアウォールに、ポート${ports}からの送信${protocol}${more > 0 ? `（${moreRanges(more)}）` : ''}についてfwcheckが評価できないルールがあります：${rule ?? 'ルール'}${construct ? `（${construct}）` : ''}。これらのポートからの送信${protocol}を許可しているか確認してください。`,
		outbound: '送信',
		decision: {allowed: '許可', blocked: 'ブロック', unknown: '不明'},
		exceptFrom: sources => `（${sources}からを除く）`,
		couldNotEvaluate: construct => `（評価できません：${construct}）`,
		itsPolicy: '既定のポリシー',
		ruleAfter: rule => `：${rule}`,
		moreRangesJson: count => `…ほか${count}範囲（--jsonを参照）`,
		allowedSummary: (ranges, more) => `✔ 許可：${ranges}${more > 0 ? `、ほか${more}` : ''}`,
		separator: '、',
	},
};
