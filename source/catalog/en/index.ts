import {common} from './common.js';
import {verdicts} from './verdicts.js';
import {services} from './services.js';
import {remediation} from './remediation.js';
import {tui} from './tui.js';
import {report} from './report.js';
import {cli} from './cli.js';
import {notes} from './notes.js';

/** The source of every sentence: the other languages must give each entry (a missing one is a type error). */
export const en = {common, verdicts, services, remediation, tui, report, cli, notes};
