import type {Messages} from '../messages.js';

export const services: Messages['services'] = {};
