import {words} from '../../catalog/index.js';
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
	/** How the footer names the keys (its word for what they do is in the catalog: keyWords). */
	footerKey: string;
	bindings: Binding[];
}

/**
 * Every key of the TUI, once (what each does, in words, is the catalog's tui.keys): the key handling (key-map.ts), the ? pane (text/help-lines.ts) and
 * the footer (components/Footer.tsx) all read this table, so the three cannot drift apart.
 * In the order the ? pane lists them.
 */
export const keyTable: readonly KeyEntry[] = [
	{
		name: 'move',
		keys: '↑ ↓  k j',
		footerKey: '↑↓',
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
		footerKey: 'PgUp PgDn',
		bindings: [
			{special: 'pageUp', intent: {type: 'page', delta: -1}},
			{special: 'pageDown', intent: {type: 'page', delta: 1}},
		],
	},
	{
		name: 'edge',
		keys: 'Home End  g G',
		footerKey: 'g G',
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
		footerKey: 'f',
		bindings: [{letter: 'f', intent: {type: 'filter'}}],
	},
	{
		name: 'jump',
		keys: '/  :',
		footerKey: '/',
		bindings: [
			{letter: '/', intent: {type: 'prompt-open'}},
			{letter: ':', intent: {type: 'prompt-open'}},
		],
	},
	{
		name: 'details',
		keys: 'Enter',
		footerKey: '⏎',
		bindings: [{special: 'return', intent: {type: 'enter'}}],
	},
	{
		name: 'step',
		keys: '← →',
		footerKey: '←→',
		bindings: [
			{special: 'leftArrow', intent: {type: 'step', delta: -1}},
			{special: 'rightArrow', intent: {type: 'step', delta: 1}},
		],
	},
	{
		name: 'summary',
		keys: 'F',
		footerKey: 'F',
		bindings: [{letter: 'F', intent: {type: 'summary'}}],
	},
	{
		name: 'router',
		keys: 'n',
		footerKey: 'n',
		bindings: [{letter: 'n', intent: {type: 'router'}}],
	},
	{
		name: 'services',
		keys: 'v',
		footerKey: 'v',
		bindings: [{letter: 'v', intent: {type: 'services'}}],
	},
	{
		name: 'cancel',
		keys: 'c  Ctrl+C',
		footerKey: 'c',
		bindings: [
			{letter: 'c', intent: {type: 'cancel'}},
			{ctrl: 'c', intent: {type: 'interrupt'}},
		],
	},
	{
		name: 'rerun',
		keys: 'r',
		footerKey: 'r',
		bindings: [{letter: 'r', intent: {type: 'rerun'}}],
	},
	{
		name: 'watch',
		keys: 'w',
		footerKey: 'w',
		bindings: [{letter: 'w', intent: {type: 'watch'}}],
	},
	{
		name: 'save',
		keys: 's',
		footerKey: 's',
		bindings: [{letter: 's', intent: {type: 'save'}}],
	},
	{
		name: 'back',
		// q is bound under quit: the reducer reads it as "back" while a pane is open.
		keys: 'Esc  q',
		footerKey: 'Esc',
		bindings: [{special: 'escape', intent: {type: 'back'}}],
	},
	{
		name: 'quit',
		keys: 'q  Ctrl+C',
		footerKey: 'q',
		bindings: [{letter: 'q', intent: {type: 'quit'}}],
	},
	{
		name: 'help',
		keys: '?',
		footerKey: '?',
		bindings: [{letter: '?', intent: {type: 'help'}}],
	},
];

const byName = new Map(keyTable.map(entry => [entry.name, entry]));

/** The table's entry for one name (every name has one: KeyName lists exactly the table's). */
export const keyEntry = (name: KeyName): KeyEntry => byName.get(name)!;

/** What the ? pane says the keys do, and the footer's word for it, in the chosen language. */
export const keyWords = (name: KeyName): {help: string; footer: string} => words().tui.keys[name];
