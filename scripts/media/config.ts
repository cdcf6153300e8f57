// What the screenshots show: the lab's router and busy port, the ports checked, the terminal.
import path from 'node:path';
import {HOSTS} from '../../lab/lab.js';
import type {RouterScenario} from '../../lab/lab.js';
import {REPO} from '../support/paths.js';

export const MEDIA = path.join(REPO, 'media');
/** Which recording and how many of its intents rebuild each screenshot's state (test/ui/media.test.tsx). */
export const SHOTS_FILE = path.join(MEDIA, 'shots.json');
export const SCREEN = {columns: 80, rows: 24};
export const FORWARDED: [number, number] = [9000, 9149];
/** What the router forwards once "fixed", for the watch-mode shot: ten more ports. */
export const FORWARDED_LATER: [number, number] = [9000, 9159];
export const BUSY_PORT = 9160;
export const BLOCKED_PORT = 9170;
/** Where the mid-sweep shot's cursor goes: the forwarded range ends at 9149, 9160 is busy. */
export const SWEEP_JUMP = '9142';
export const PORTS = '9000-9199';
export const SWEEP_TIMEOUT_MS = 180_000;
export const SCREEN_TIMEOUT_MS = 20_000;
/** The main run: our own `fwcheck serve`, the only server with the SIP and TCP checks. */
export const MAIN_SERVER = HOSTS.own;
/** The mid-sweep run: coturn, a STUN server of someone else's. */
export const SWEEP_SERVER = HOSTS.coturn;

/**
 * A router forwarding `ports` 1:1 and masquerading the rest, with the kernel's SIP helper (a SIP
 * ALG) on, and TCP 5060 forwarded to the PBX: what the v pane is there to find.
 */
export const routerScenario = (ports: [number, number]): RouterScenario => ({
	kind: 'forward-part',
	ports,
	sipHelper: true,
	tcpForwards: [{port: 5060}],
});

export const commandLine = (server: string): string => `fwcheck --stun ${server} --ports ${PORTS}`;
