import type {Messages} from '../messages.js';

export const remediation: Messages['remediation'] = {};
