import type {Messages} from '../messages.js';

export const tui: Messages['tui'] = {};
