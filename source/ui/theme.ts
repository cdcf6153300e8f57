import {createContext} from 'react';
import {type GlyphSet, drawnWith} from './glyphs.js';
import type {Tone} from './tone.js';

/**
 * Colour is an extra, never the message: every state also has a symbol and a word. The chalk
 * bundled with Ink does not read NO_COLOR, so the app drops colours itself.
 */
export interface Theme {
	color: boolean;
	/** The characters symbols are drawn with (ASCII where the console may draw them wide). */
	glyphs: GlyphSet;
}

export const ThemeContext = createContext<Theme>({color: true, glyphs: 'unicode'});

const colors: Record<Tone, string | undefined> = {
	ok: 'green',
	bad: 'red',
	warn: 'yellow',
	info: 'cyan',
	muted: undefined,
};

export const colorOf = (theme: Theme, tone: Tone | undefined): string | undefined =>
	theme.color && tone ? colors[tone] : undefined;

/** Text as this theme draws it. */
export const drawn = (theme: Theme, text: string): string => drawnWith(theme.glyphs, text);

/** https://no-color.org: set and not empty means no colour. */
export const noColorRequested = (env: NodeJS.ProcessEnv = process.env): boolean => (env['NO_COLOR'] ?? '') !== '';
