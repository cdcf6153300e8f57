import type {SweepRunner} from '../check/sweep.js';
import type {CheckReport, SweepEvent} from '../check/types.js';
import {type Messages, english, words} from '../catalog/index.js';

/**
 * Where a demo's slowdowns come from: its own server on this machine, not any network. In English
 * in the report (--json is the same in every language), in the language in the events people read.
 */
const demoReason = (reason: string, messages: Messages = english): string => messages.cli.demoSlowdown(reason);

/**
 * A demo's runner: every report it gives (the 'done' event's and the final one) carries the
 * demo's label, and a slowdown blames the demo's own server, since there is no network to blame.
 */
export const demoRunner =
	(run: SweepRunner, label: Pick<CheckReport, 'demo' | 'simulation'>): SweepRunner =>
	async (config, options) => {
		const relabel = (report: CheckReport): CheckReport => ({
			...report,
			...label,
			pacing: {
				...report.pacing,
				slowdowns: report.pacing.slowdowns.map(slowdown => ({...slowdown, reason: demoReason(slowdown.reason)})),
			},
		});
		const relabelEvent = (event: SweepEvent): SweepEvent =>
			event.type === 'done'
				? {...event, report: relabel(event.report)}
				: event.type === 'paced'
					? {...event, reason: demoReason(event.reason, words())}
					: event;
		return relabel(
			await run(config, {
				...options,
				onEvent(event) {
					options.onEvent(relabelEvent(event));
				},
			}),
		);
	};
