import type {Messages} from '../messages.js';

export const cli: Messages['cli'] = {};
