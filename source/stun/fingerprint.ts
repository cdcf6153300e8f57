import {crc32} from 'node:zlib';
import {FINGERPRINT_XOR} from './constants.js';

/** FINGERPRINT value over `bytes` (the message up to the attribute, length already covering it). */
export const fingerprintOf = (bytes: Buffer): number => (crc32(bytes) ^ FINGERPRINT_XOR) >>> 0;
