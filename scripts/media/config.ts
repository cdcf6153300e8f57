// What the screenshots show: the lab's router and busy port, the ports checked, the terminal.
import path from 'node:path';
import {HOSTS} from '../../lab/lab.js';
import {REPO} from '../support/paths.js';

export const MEDIA = path.join(REPO, 'media');
export const SCREEN = {columns: 80, rows: 24};
export const FORWARDED: [number, number] = [9000, 9149];
export const BUSY_PORT = 9160;
export const BLOCKED_PORT = 9170;
/** Where the mid-sweep shot's cursor goes: the forwarded range ends at 9149, 9160 is busy. */
export const SWEEP_JUMP = '9142';
export const PORTS = '9000-9199';
export const SWEEP_TIMEOUT_MS = 180_000;
export const SCREEN_TIMEOUT_MS = 10_000;

export const COMMAND_LINE = `fwcheck --stun ${HOSTS.coturn} --ports ${PORTS}`;
