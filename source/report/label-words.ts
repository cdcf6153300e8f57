import {english, formatDecimal, words} from '../catalog/index.js';

/**
 * A demo's or a simulation's label as the chosen language says it. The report carries the
 * English one (--json is the same in every language), so it is found among the English labels.
 */
export const labelInLanguage = (label: string): string => {
	const mine = words().cli;
	if (label === english.cli.demoNotice) {
		return mine.demoNotice;
	}

	const kind = (Object.keys(english.cli.simulation) as Array<keyof typeof english.cli.simulation>).find(
		key => english.cli.simulation[key] === label,
	);
	return kind === undefined ? label : mine.simulation[kind];
};

/**
 * A measured number with the decimals it has ("66.11"), with the language's decimal sign
 * ("66,11"): only the sign changes, so no digit is rounded away or added.
 */
export const measured = (value: number): string => String(value).replace('.', formatDecimal(1.5, 1).charAt(1));
