// Whether a check goes across a network at all. Against a server on loopback (the demo, tests)
// nothing passes a router or arrives from the internet, so neither the router view nor this host's
// inbound rules have anything to say about it.
import {isIP} from 'node:net';
import type {CheckConfig} from './types.js';

const isLoopback = (host: string): boolean =>
	host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));

/** Whether the check goes across a network: not against a server on loopback, not bound to it. */
export const checksAcrossNetwork = (config: CheckConfig): boolean =>
	!config.servers.every(server => isLoopback(server.host)) && !(config.bindAddress && isLoopback(config.bindAddress));
