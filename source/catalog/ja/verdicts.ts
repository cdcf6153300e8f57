import type {Messages} from '../messages.js';

export const verdicts: Messages['verdicts'] = {};
