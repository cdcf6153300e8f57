import process from 'node:process';
import {type Language, chooseLanguage, isLanguage, languages, setLanguage, words} from '../catalog/index.js';
import {UsageError} from './config.js';

/** `--lang X` or `--lang=X` as typed, before `--`; the last one counts, as meow would have it. */
const typedLanguage = (argv: readonly string[]): string | undefined => {
	const end = argv.indexOf('--');
	const words = end === -1 ? argv : argv.slice(0, end);
	let value: string | undefined;
	for (const [index, word] of words.entries()) {
		if (word === '--lang') {
			value = words[index + 1] ?? '';
		} else if (word.startsWith('--lang=')) {
			value = word.slice('--lang='.length);
		}
	}

	return value;
};

/**
 * Chooses the language of everything a person reads, before anything is parsed or printed:
 * `--lang`, else the locale variables, else (on Windows) the user's locale. The environment's
 * language is set first, so that a bad `--lang` is refused in it.
 */
export const chooseLanguageAtStart = (argv: readonly string[] = process.argv.slice(2)): Language => {
	const sources = {
		env: process.env,
		platform: process.platform,
		systemLocale: Intl.DateTimeFormat().resolvedOptions().locale,
	};
	setLanguage(chooseLanguage(sources));
	const typed = typedLanguage(argv);
	if (typed === undefined) {
		return chooseLanguage(sources);
	}

	if (!isLanguage(typed)) {
		throw new UsageError(words().cli.langValue(languages.join(', '), typed));
	}

	setLanguage(typed);
	return typed;
};
