/**
 * What meow parses without a word but loses: a flag that takes a value given without one
 * (`--stun` last, `--stun=`, `--rate --json`), negated (`--no-stun`), or a single-value flag
 * given twice. meow drops the first (a bare `--stun` then reads as "no --stun": the public
 * servers), turns the second into `false` and throws a plain Error for the third, so the words
 * as typed are looked at once, before meow, to name the flag in a usage error.
 */
import {words as inLanguage} from '../catalog/index.js';

export interface ValueFlag {
	/** The name meow uses, camelCase. */
	name: string;
	shortFlag?: string;
	isMultiple?: boolean;
	/** The value may be left out (`--watch` alone): only a negation or a second one is refused. */
	optionalValue?: boolean;
}

const kebab = (name: string): string => name.replaceAll(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

/** A word that yargs would read as the value of the flag before it rather than as a flag. */
const isValueWord = (word: string | undefined): boolean =>
	word !== undefined && word !== '' && (!word.startsWith('-') || /^-\d/.test(word));

/** The first problem with the value-taking flags in `argv`, as one line; undefined when none. */
export const flagValueProblem = (argv: readonly string[], valueFlags: readonly ValueFlag[]): string | undefined => {
	const end = argv.indexOf('--');
	const words = end === -1 ? argv : argv.slice(0, end);
	// The values each flag was given, to name them when a single-value flag comes twice.
	const seen = new Map<string, string[]>();
	for (const [index, word] of words.entries()) {
		const long = /^--(no-)?([^=]+)(=(.*))?$/s.exec(word);
		const short = long ? undefined : /^-([A-Za-z])(=?)(.*)$/s.exec(word);
		const flag = valueFlags.find(candidate =>
			long ? kebab(candidate.name) === long[2] || candidate.name === long[2] : candidate.shortFlag === short?.[1],
		);
		if (!flag || (!long && !short)) {
			continue;
		}

		const spelled = `--${kebab(flag.name)}`;
		if (long?.[1]) {
			return inLanguage().cli.cannotNegate(`--no-${kebab(flag.name)}`, spelled);
		}

		// `--stun=x`, `-sx`, `-s=x` carry their value; a bare `--stun` or `-s` takes the next word.
		const inline = long ? (long[3] === undefined ? undefined : long[4]) : short![2] || short![3] ? short![3] : undefined;
		const hasValue = inline === undefined ? isValueWord(words[index + 1]) : inline !== '';
		if (!hasValue && !flag.optionalValue) {
			return inLanguage().cli.needsValue(spelled);
		}

		const values = [...(seen.get(flag.name) ?? []), hasValue ? (inline ?? words[index + 1]!) : '(no value)'];
		seen.set(flag.name, values);
		if (values.length > 1 && !flag.isMultiple) {
			return inLanguage().cli.givenTwice(spelled, values.join(inLanguage().cli.thenJoin));
		}
	}

	return undefined;
};
