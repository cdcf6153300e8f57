import type {Messages} from '../messages.js';

export const notes: Messages['notes'] = {};
