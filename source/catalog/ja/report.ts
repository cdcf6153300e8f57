import type {Messages} from '../messages.js';

export const report: Messages['report'] = {};
