// A real SIP client against our SIP echo: Debian's sipsak sends OPTIONS over UDP and over TCP
// to `fwcheck serve` on 127.0.0.1 and must read a 200 it accepts as the final answer (it matches
// Via branch, Call-ID and CSeq, so this checks the copied headers too). Skips without sipsak,
// fails without it under CI=true.
import {after, test} from 'node:test';
import assert from 'node:assert/strict';
import {execa} from 'execa';
import type {StunServer} from '../../source/server/index.js';
import {PRIMARY, findCommand, startOnFreePorts} from './support.js';

const sipsak = findCommand('sipsak');
const servers: StunServer[] = [];
after(async () => {
	await Promise.all(servers.map(async server => server.close()));
});

for (const transport of ['udp', 'tcp'] as const) {
	test(`sipsak: OPTIONS over ${transport.toUpperCase()} to the SIP echo gets 200 OK with the request echoed`, async t => {
		if (!sipsak) {
			if (process.env.CI === 'true') {
				assert.fail('sipsak is required under CI=true (apt-get install sipsak)');
			}

			t.skip('sipsak not installed (apt-get install sipsak)');
			return;
		}

		const server = await startOnFreePorts({primary: PRIMARY, services: {sipPort: 0}});
		servers.push(server);
		const port = server.services!.sipPort!;
		// -vv prints the whole answer; -E picks the transport. sipsak exits 0 only on a 2xx final answer.
		const result = await execa(sipsak, ['-vv', '-E', transport, '-s', `sip:echo@${PRIMARY}:${port}`], {
			reject: false,
			timeout: 20_000,
			stdin: 'ignore',
		});
		assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
		assert.match(result.stdout, /SIP\/2\.0 200 OK/);
		assert.match(result.stdout, /Content-Type: application\/x-fwcheck-echo/);
		const body = /\r?\n\r?\n([A-Za-z\d+/]+=*)\r?\n/.exec(result.stdout)?.[1];
		assert.ok(body, result.stdout);
		assert.match(
			Buffer.from(body, 'base64').toString('latin1'),
			new RegExp(`^OPTIONS sip:echo@${PRIMARY}:\\d+ SIP/2\\.0\\r\\nVia: SIP/2\\.0/${transport.toUpperCase()} `),
		);
		assert.ok(server.serviceStats().sipAnswered >= 1);
	});
}
