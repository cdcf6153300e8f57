/** The languages fwcheck speaks. English is the source; the others translate every entry. */
export const languages = ['en', 'it', 'ja'] as const;
export type Language = (typeof languages)[number];

export const isLanguage = (value: string): value is Language => (languages as readonly string[]).includes(value);

/** The BCP 47 tag numbers, dates and word breaks follow. */
export const localeOf: Record<Language, string> = {en: 'en-GB', it: 'it-IT', ja: 'ja-JP'};

/** Where the language can come from, in the order they count. */
export type LanguageSources = {
	/** `--lang`, already checked to be one of `languages`. */
	flag?: Language;
	env: Readonly<Record<string, string | undefined>>;
	platform: string;
	/** The user's locale as the OS gives it (on Windows, through Intl: the user's language setting). */
	systemLocale?: string;
};

/** "it_IT.UTF-8", "ja_JP.eucJP@euro", "it-IT", "ja" → the language, if we speak it. */
const fromLocale = (locale: string): Language | undefined => {
	const code = /^([a-z]{2,3})(?:[_.@-]|$)/i.exec(locale.trim())?.[1]?.toLowerCase();
	return code !== undefined && isLanguage(code) ? code : undefined;
};

/**
 * POSIX order: LC_ALL, then LC_MESSAGES, then LANG; the first one set decides, and `C`/`POSIX`
 * (or a language we do not speak) mean English rather than falling through to the next variable,
 * as gettext does. Windows has no such variables by default, so there the user's locale counts.
 */
export const chooseLanguage = ({flag, env, platform, systemLocale}: LanguageSources): Language => {
	if (flag !== undefined) {
		return flag;
	}

	for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
		const value = env[name];
		if (value !== undefined && value !== '') {
			return fromLocale(value) ?? 'en';
		}
	}

	return platform === 'win32' && systemLocale !== undefined ? (fromLocale(systemLocale) ?? 'en') : 'en';
};
