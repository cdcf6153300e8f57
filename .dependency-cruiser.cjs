// `npm run lint:imports`: no import cycles, and the one-way flow of readme.md's "Architecture"
// as folder rules. Type-only imports count: a type in the wrong file ties two modules as surely
// as a value does, and is how cycles creep in.
/** Ink and React: what draws the TUI. */
const rendering = '^node_modules/(ink|ink-spinner|react)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		{
			name: 'no-cycle',
			severity: 'error',
			comment: 'A cycle, even through one type, means a type or a function sits in the wrong file.',
			from: {},
			to: {circular: true},
		},
		{
			name: 'stun-knows-bytes',
			severity: 'error',
			comment: 'stun/ knows bytes and RFCs: it sends through net/ (clock, UDP sockets) and knows no other folder.',
			from: {path: '^source/stun/'},
			to: {path: '^source/', pathNot: '^source/(stun|net)/'},
		},
		{
			name: 'wire-on-stun-only',
			severity: 'error',
			comment: 'wire/ holds the formats client and server share, so both can import it: it may build on stun/ only.',
			from: {path: '^source/wire/'},
			to: {path: '^source/', pathNot: '^source/(wire|stun)/'},
		},
		{
			name: 'engine-knows-no-screen',
			severity: 'error',
			comment:
				'The engine (check/, service-checks/, router/, host-firewall/) and the host (system/) produce results; the TUI, the reports and the command line read them.',
			from: {path: '^source/(check|service-checks|router|host-firewall|system)/'},
			to: {path: '^source/(ui|report|cli)/'},
		},
		{
			name: 'router-below-check',
			severity: 'error',
			comment:
				'check/ runs the router view and words its findings; router/ importing check/ would tie the two folders both ways.',
			from: {path: '^source/router/'},
			to: {path: '^source/(check|service-checks)/'},
		},
		{
			name: 'client-knows-no-server',
			severity: 'error',
			comment: 'The client talks to `fwcheck serve` over the network only; what both need lives in wire/.',
			from: {path: '^source/(check|service-checks|router|host-firewall|report|ui)/'},
			to: {path: '^source/server/'},
		},
		{
			name: 'server-knows-no-client',
			severity: 'error',
			comment: '`fwcheck serve` runs alone on a public host: it builds on stun/ and wire/, never on the client.',
			from: {path: '^source/server/'},
			to: {path: '^source/(check|service-checks|router|system|report|ui|cli|sim)/'},
		},
		{
			name: 'host-firewall-is-a-model',
			severity: 'error',
			comment:
				'host-firewall/ decodes and evaluates rulesets as pure functions; system/ runs the commands that read them and check/ decides what a verdict says about it.',
			from: {path: '^source/host-firewall/'},
			to: {path: '^source/(check|service-checks|router|system|server|sim)/'},
		},
		{
			name: 'catalog-below-everything',
			severity: 'error',
			comment:
				'catalog/ holds every sentence in every language and is read by every layer: it takes plain values (strings, numbers), never a type of another folder.',
			from: {path: '^source/catalog/'},
			to: {path: '^source/', pathNot: '^source/catalog/'},
		},
		{
			name: 'words-below-everything',
			severity: 'error',
			comment: 'words/ formats durations and names for every layer, so it can import none of them.',
			from: {path: '^source/words/'},
			to: {path: '^source/(check|service-checks|router|report|ui|cli|server|sim)/'},
		},
		{
			name: 'fleet-reads-documents',
			comment:
				"fleet/ merges --json documents from other machines and versions: it reads their text, not this build's model (and says it in the catalog's words).",
			severity: 'error',
			from: {path: '^source/fleet/'},
			to: {path: '^source/', pathNot: '^source/(fleet|ports|words|catalog)/'},
		},
		{
			name: 'report-knows-no-tui',
			severity: 'error',
			comment: 'The plain, JSON and Markdown reports print the report model; they run without a terminal.',
			from: {path: '^source/report/'},
			to: {path: '^source/(ui|cli)/'},
		},
		{
			name: 'ui-touches-no-socket',
			severity: 'error',
			comment: 'The TUI renders state; the engine owns every socket.',
			from: {path: '^source/ui/'},
			to: {
				path: [
					'^(node:)?(dgram|net)$',
					'^source/stun/stun-socket\\.ts$',
					'^source/net/(udp|tcp)\\.ts$',
					'^source/(server|sim|cli)/',
				],
			},
		},
		{
			name: 'ui-state-is-pure',
			severity: 'error',
			comment:
				'The reducer and selectors are pure functions of the state: they measure no text and draw nothing; the text builders measure for them (ScreenMeasure).',
			from: {path: '^source/ui/state/'},
			to: {path: ['^source/ui/(text|components|hooks)/', rendering]},
		},
		{
			name: 'ui-text-is-pure',
			severity: 'error',
			comment: 'text/ builds lines from state; components draw them.',
			from: {path: '^source/ui/text/'},
			to: {path: ['^source/ui/(components|hooks)/', rendering]},
		},
		{
			name: 'only-ui-renders',
			severity: 'error',
			comment: 'Ink and React stay in ui/; the command line calls ui/render.tsx.',
			from: {path: '^source/', pathNot: '^source/ui/'},
			to: {path: rendering},
		},
		{
			name: 'sim-for-demo-and-tests',
			severity: 'error',
			comment: 'The simulated network drives the unit tests and `--demo --faults`; nothing else in source/ may lean on it.',
			from: {path: '^source/', pathNot: '^source/(sim|cli)/'},
			to: {path: '^source/sim/'},
		},
		{
			name: 'cli-on-top',
			severity: 'error',
			comment: 'The command line wires the layers together; no layer reaches back up into it.',
			from: {path: '^source/', pathNot: '^source/(cli/|cli\\.ts$)'},
			to: {path: '^source/cli/'},
		},
		{
			name: 'source-stands-alone',
			severity: 'error',
			comment: 'The shipped code never imports the tests, benches, scripts or the lab.',
			from: {path: '^source/'},
			to: {path: '^(test|bench|scripts|lab)/'},
		},
	],
	options: {
		// Count `import type` too (see above).
		tsPreCompilationDeps: true,
		tsConfig: {fileName: 'tsconfig.json'},
		doNotFollow: {path: 'node_modules'},
		exclude: {path: ['^dist/', '^media/', '^lab/bin/']},
		enhancedResolveOptions: {exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default']},
	},
};
