import {en} from './en/index.js';
import {it} from './it/index.js';
import {ja} from './ja/index.js';
import {type Language, localeOf} from './language.js';
import type {Messages} from './messages.js';

const catalogs: Record<Language, Messages> = {en, it, ja};

let current: Language = 'en';

/**
 * The language of every word a person reads from here on. Chosen once, at start, before
 * anything is drawn; tests set it around what they render.
 */
export const setLanguage = (language: Language): void => {
	current = language;
};

export const currentLanguage = (): Language => current;

/** The catalog in the chosen language: what the TUI, the plain and Markdown reports and help say. */
export const words = (): Messages => catalogs[current];

/** The catalog in English whatever was chosen: what tools read (`--json`, serve's logs) never changes. */
export const english: Messages = en;

/** The chosen language's locale, for Intl (numbers, word breaks). */
export const currentLocale = (): string => localeOf[current];
