// How an entry of the verdict table reads its words: from the catalog, in the language chosen when
// it is read (getters), so the displays keep calling `verdict(code).sentence` and
// `.remediation(context)` while the engine asks for English by name (verdictMessage).
import {type Messages, words} from '../catalog/index.js';
import type {RemediationContext, Verdict, VerdictCode} from './verdict-types.js';

/** A verdict's sentence in `catalog`: port verdicts under `verdicts`, the service checks' under `services`. */
export type SentenceOf = (catalog: Messages) => string;

/** A checklist in `catalog`'s words; which lines apply is the caller's decision. */
export type StepsOf = (catalog: Messages, context: RemediationContext) => string[];

export interface VerdictEntry extends Verdict {
	/** The sentence in a given catalog: `english` for what tools read. */
	sentenceIn: SentenceOf;
}

export const verdictEntry = (
	code: VerdictCode,
	symbol: string,
	label: string,
	sentenceIn: SentenceOf,
	steps: StepsOf,
): VerdictEntry => ({
	code,
	symbol,
	label,
	get sentence() {
		return sentenceIn(words());
	},
	remediation: context => steps(words(), context),
	sentenceIn,
});
