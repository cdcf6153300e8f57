import {currentLanguage, currentLocale} from './active.js';

const formats = new Map<string, Intl.NumberFormat>();

/**
 * A number as the chosen language writes it, with exactly `digits` decimals and no grouping
 * ("1.5" in English and Japanese, "1,5" in Italian): port numbers and counts stay unbroken.
 */
export const formatDecimal = (value: number, digits = 0): string => {
	const key = `${currentLanguage()}:${digits}`;
	let format = formats.get(key);
	if (format === undefined) {
		format = new Intl.NumberFormat(currentLocale(), {
			minimumFractionDigits: digits,
			maximumFractionDigits: digits,
			useGrouping: false,
		});
		formats.set(key, format);
	}

	return format.format(value);
};
