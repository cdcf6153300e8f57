// How the lab's helpers read their command line: `--name value` pairs, as lab/*.ts builds them,
// over each helper's defaults. A name given without a value reads as undefined.
import process from 'node:process';

/**
 * @template {Record<string, string>} Defaults
 * @param {Defaults} defaults
 * @returns {Defaults & Record<string, string | undefined>}
 */
export function readOptions(defaults) {
	/** @type {Record<string, string | undefined>} */
	const options = {...defaults};
	const argv = process.argv.slice(2);
	for (const [i, arg] of argv.entries()) {
		if (i % 2 === 0) options[arg.replace(/^--/, '')] = argv[i + 1];
	}

	return /** @type {Defaults & Record<string, string | undefined>} */ (options);
}
