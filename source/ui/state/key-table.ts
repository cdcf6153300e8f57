import type {Intent} from './types.js';

/** The special keys Ink reports that mean something here (a subset of Ink's `Key`, so this stays pure). */
export interface KeyFlags {
	ctrl: boolean;
	meta: boolean;
	escape: boolean;
	return: boolean;
	backspace: boolean;
	delete: boolean;
	upArrow: boolean;
	downArrow: boolean;
	leftArrow: boolean;
	rightArrow: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home: boolean;
	end: boolean;
}

export type SpecialKey = Exclude<keyof KeyFlags, 'ctrl' | 'meta'>;

/** One way to press a key: a letter, a special key, or Ctrl with a letter. */
export type Binding = {letter: string; intent: Intent} | {special: SpecialKey; intent: Intent} | {ctrl: string; intent: Intent};

export type KeyName =
	| 'move'
	| 'page'
	| 'edge'
	| 'filter'
	| 'jump'
	| 'details'
	| 'step'
	| 'summary'
	| 'router'
	| 'services'
	| 'cancel'
	| 'rerun'
	| 'watch'
	| 'save'
	| 'back'
	| 'quit'
	| 'help';

export interface KeyEntry {
	name: KeyName;
	/** How the ? pane names the keys. */
	keys: string;
	/** What the ? pane says the keys do. */
	help: string;
	/** How the footer names the keys, and its word for what they do. */
	footer: [string, string];
	bindings: Binding[];
}

/**
 * Every key of the TUI, once: the key handling (key-map.ts), the ? pane (text/help-lines.ts) and
 * the footer (components/Footer.tsx) all read this table, so the three cannot drift apart.
 * In the order the ? pane lists them.
 */
export const keyTable: readonly KeyEntry[] = [
	{
		name: 'move',
		keys: '↑ ↓  k j',
		help: 'move one port (in a pane: scroll)',
		footer: ['↑↓', 'move'],
		bindings: [
			{special: 'upArrow', intent: {type: 'move', delta: -1}},
			{special: 'downArrow', intent: {type: 'move', delta: 1}},
			{letter: 'k', intent: {type: 'move', delta: -1}},
			{letter: 'j', intent: {type: 'move', delta: 1}},
		],
	},
	{
		name: 'page',
		keys: 'PgUp PgDn',
		help: 'move one page',
		footer: ['PgUp PgDn', 'page'],
		bindings: [
			{special: 'pageUp', intent: {type: 'page', delta: -1}},
			{special: 'pageDown', intent: {type: 'page', delta: 1}},
		],
	},
	{
		name: 'edge',
		keys: 'Home End  g G',
		help: 'first / last port',
		footer: ['g G', 'first/last'],
		bindings: [
			{special: 'home', intent: {type: 'edge', to: 'first'}},
			{special: 'end', intent: {type: 'edge', to: 'last'}},
			{letter: 'g', intent: {type: 'edge', to: 'first'}},
			{letter: 'G', intent: {type: 'edge', to: 'last'}},
		],
	},
	{
		name: 'filter',
		keys: 'f',
		help: 'filter: all → failed → busy → ok',
		footer: ['f', 'filter'],
		bindings: [{letter: 'f', intent: {type: 'filter'}}],
	},
	{
		name: 'jump',
		keys: '/  :',
		help: 'jump to a port number (Enter jumps, Esc cancels)',
		footer: ['/', 'jump'],
		bindings: [
			{letter: '/', intent: {type: 'prompt-open'}},
			{letter: ':', intent: {type: 'prompt-open'}},
		],
	},
	{
		name: 'details',
		keys: 'Enter',
		help: 'details of the selected port: both tests, addresses, what to do',
		footer: ['⏎', 'details'],
		bindings: [{special: 'return', intent: {type: 'enter'}}],
	},
	{
		name: 'step',
		keys: '← →',
		help: 'in the details: previous / next port',
		footer: ['←→', 'prev/next port'],
		bindings: [
			{special: 'leftArrow', intent: {type: 'step', delta: -1}},
			{special: 'rightArrow', intent: {type: 'step', delta: 1}},
		],
	},
	{
		name: 'summary',
		keys: 'F',
		help: 'summary: failed ranges and what to do for each',
		footer: ['F', 'summary'],
		bindings: [{letter: 'F', intent: {type: 'summary'}}],
	},
	{
		name: 'router',
		keys: 'n',
		help: "router and path: double NAT or carrier NAT, the router's mappings, hairpin",
		footer: ['n', 'router'],
		bindings: [{letter: 'n', intent: {type: 'router'}}],
	},
	{
		name: 'services',
		keys: 'v',
		help: "SIP ALG and TCP: each line an ALG rewrote (sent vs received), the SIP port's answer, TCP ports, what to do",
		footer: ['v', 'sip/tcp'],
		bindings: [{letter: 'v', intent: {type: 'services'}}],
	},
	{
		name: 'cancel',
		keys: 'c  Ctrl+C',
		help: 'cancel the check (the table keeps what finished)',
		footer: ['c', 'cancel'],
		bindings: [
			{letter: 'c', intent: {type: 'cancel'}},
			{ctrl: 'c', intent: {type: 'interrupt'}},
		],
	},
	{
		name: 'rerun',
		keys: 'r',
		help: 're-run only the failed and busy ports',
		footer: ['r', 're-run'],
		bindings: [{letter: 'r', intent: {type: 'rerun'}}],
	},
	{
		name: 'watch',
		keys: 'w',
		help: 'watch: re-run the failed and busy ports round after round until they pass (an hour at most); w again stops',
		footer: ['w', 'watch'],
		bindings: [{letter: 'w', intent: {type: 'watch'}}],
	},
	{
		name: 'save',
		keys: 's',
		help: 'save the report as Markdown and JSON',
		footer: ['s', 'save'],
		bindings: [{letter: 's', intent: {type: 'save'}}],
	},
	{
		name: 'back',
		// q is bound under quit: the reducer reads it as "back" while a pane is open.
		keys: 'Esc  q',
		help: 'back to the table',
		footer: ['Esc', 'back'],
		bindings: [{special: 'escape', intent: {type: 'back'}}],
	},
	{
		name: 'quit',
		keys: 'q  Ctrl+C',
		help: 'quit (once the check is stopped)',
		footer: ['q', 'quit'],
		bindings: [{letter: 'q', intent: {type: 'quit'}}],
	},
	{
		name: 'help',
		keys: '?',
		help: 'this help',
		footer: ['?', 'keys'],
		bindings: [{letter: '?', intent: {type: 'help'}}],
	},
];

const byName = new Map(keyTable.map(entry => [entry.name, entry]));

/** The table's entry for one name (every name has one: KeyName lists exactly the table's). */
export const keyEntry = (name: KeyName): KeyEntry => byName.get(name)!;
