import type {en} from './en/index.js';

/** The catalog's shape: English's, entry for entry. */
export type Messages = typeof en;
