// What bench/run.ts measures on the lab, its limits, and the targets.
import path from 'node:path';
import {REPO} from '../../scripts/support/paths.js';

export const RESULTS = path.join(REPO, 'bench', 'results.md');
export const DEFAULT_RUNS = 3;
export const FULL: [number, number] = [9000, 10999];
export const SMALL: [number, number] = [9000, 9499];
export const FULL_COUNT = FULL[1] - FULL[0] + 1;
export const SMALL_COUNT = SMALL[1] - SMALL[0] + 1;
export const STUN_SAMPLE = 10;
export const FWCHECK_TIMEOUT_MS = 300_000;
export const FLOOR_WAIT_MS = 3000;
export const LOCK_WAIT_TRIES = 60; // x 5 s: another lab user (npm test) may hold the lab
export const WATCHDOG_MS = 45 * 60_000;

export const TARGET = {openMs: 1000, closedMs: 5000, rssMb: 100};
