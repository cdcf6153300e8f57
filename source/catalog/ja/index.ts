import {common} from './common.js';
import {verdicts} from './verdicts.js';
import {services} from './services.js';
import {remediation} from './remediation.js';
import {tui} from './tui.js';
import {report} from './report.js';
import {cli} from './cli.js';
import {notes} from './notes.js';

import type {Messages} from '../messages.js';

export const ja: Messages = {common, verdicts, services, remediation, tui, report, cli, notes};
