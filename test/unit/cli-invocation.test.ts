// The command line to what it asks for, without running anything: every case here is refused or
// read before a name is resolved or a packet sent, so none of them can reach the network.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {showsTui} from '../../source/cli/check-command.js';
import {MAX_SERVERS, UsageError} from '../../source/cli/config.js';
import {type Invocation, parseInvocation} from '../../source/cli/invocation.js';

const refused = (argv: string[], pattern: RegExp) => {
	assert.throws(
		() => parseInvocation(argv),
		(error: unknown) => error instanceof UsageError && pattern.test(error.message) && !error.message.includes('\n'),
		argv.join(' '),
	);
};

const check = (argv: string[]): Extract<Invocation, {command: 'check'}> => {
	const invocation = parseInvocation(argv);
	assert.equal(invocation.command, 'check');
	return invocation;
};

test('--stun without a value is a usage error, never the public servers', () => {
	for (const argv of [
		['--stun'],
		['-s'],
		['--stun='],
		['-s='],
		['--stun', '--no-router'],
		['--stun', '127.0.0.1', '--stun'],
		['--ports', '9000', '--stun', '--json'],
	]) {
		refused(argv, /^--stun needs a value$/);
	}

	assert.deepEqual(check(['-s', '127.0.0.1']).config.servers, [{host: '127.0.0.1', port: 3478}]);
	assert.deepEqual(check(['--stun=127.0.0.1:4000']).config.servers, [{host: '127.0.0.1', port: 4000}]);
});

test('other flags without a value, negated or given twice: a usage error naming the flag', () => {
	refused(['--rate'], /^--rate needs a value$/);
	refused(['--rate', '--json'], /^--rate needs a value$/);
	refused(['--window='], /^--window needs a value$/);
	refused(['--ports', '9000', '--ports', '9001'], /^--ports is given more than once \(9000, then 9001\): give it once$/);
	refused(['-p9000', '--ports=9001'], /^--ports is given more than once \(9000, then 9001\)/);
	for (const flag of ['stun', 'ports', 'tcp', 'bind', 'public-ip', 'rate']) {
		refused([`--no-${flag}`], new RegExp(`^--no-${flag}: --${flag} takes a value and cannot be turned off$`));
	}

	// A negative number is a value (refused for what it is), not a missing one.
	refused(['--rate', '-5'], /^--rate takes a whole number of 1 or more, not -5$/);
	// After `--` nothing is a flag.
	refused(['--stun', '127.0.0.1', '--', '--stun'], /^unexpected|unknown command/);
});

test('--stun: a comma list, each server once, at most MAX_SERVERS', () => {
	assert.deepEqual(check(['--stun', '127.0.0.1,127.0.0.2:4000']).config.servers, [
		{host: '127.0.0.1', port: 3478},
		{host: '127.0.0.2', port: 4000},
	]);
	const same = Array.from({length: 200}, () => ['--stun', '127.0.0.1']).flat();
	assert.deepEqual(check([...same, '--stun', '127.0.0.1:3478']).config.servers, [{host: '127.0.0.1', port: 3478}]);
	const many = Array.from({length: MAX_SERVERS + 1}, (_, index) => `127.0.0.${index + 1}`).join(',');
	refused(['--stun', many], new RegExp(`^--stun: at most ${MAX_SERVERS} servers, not ${MAX_SERVERS + 1}$`));
	refused(['--stun', '127.0.0.1,'], /^--stun: "" is not host or host:port$/);
});

test('--rate and --window both take whole numbers of 1 or more', () => {
	for (const flag of ['--rate', '--window']) {
		refused([flag, '0.5', '-s', '127.0.0.1'], new RegExp(`^${flag} takes a whole number of 1 or more, not 0.5$`));
		refused([flag, '1.5', '-s', '127.0.0.1'], new RegExp(`^${flag} takes a whole number of 1 or more, not 1.5$`));
		refused([flag, '0', '-s', '127.0.0.1'], new RegExp(`^${flag} takes a whole number of 1 or more, not 0$`));
		refused([flag, 'abc', '-s', '127.0.0.1'], new RegExp(`^${flag} takes a whole number of 1 or more$`));
	}

	const {config} = check(['--rate', '200', '--window', '64', '-s', '127.0.0.1']);
	assert.equal(config.rate, 200);
	assert.equal(config.window, 64);
});

test('--bind of one family with a server address of the other is a usage error', () => {
	refused(['--bind', '::1', '--stun', '127.0.0.1'], /^--bind ::1 is IPv6 but the server 127\.0\.0\.1 is IPv4/);
	refused(['--bind', '127.0.0.1', '--stun', '[::1]:3478'], /^--bind 127\.0\.0\.1 is IPv4 but the server ::1 is IPv6/);
	refused(['--demo', '--bind', '::1'], /is IPv6 but the server 127\.0\.0\.1 is IPv4/);
	assert.equal(check(['--bind', '::1', '--stun', '[::1]:3478']).config.bindAddress, '::1');
	// A name is resolved later, by the engine: not judged here.
	assert.equal(check(['--bind', '::1', '--stun', 'localhost']).config.servers[0]!.host, 'localhost');
});

test('serve --port 65535: says the default alternate port is out of range and how to set it', () => {
	refused(
		['serve', '--primary', '127.0.0.1', '--port', '65535'],
		/^--port 65535: the alternate port would be 65536, past 65535; choose one with --alt-port <n>$/,
	);
	const invocation = parseInvocation(['serve', '--primary', '127.0.0.1', '--port', '65535', '--alt-port', '65534']);
	assert.equal(invocation.command, 'serve');
});

test('TERM=dumb gets the plain lines, as a pipe does', () => {
	const tty = {stdinIsTty: true, stdoutIsTty: true, term: 'xterm-256color'};
	const output = {json: false, tui: true};
	assert.equal(showsTui(output, tty), true);
	assert.equal(showsTui(output, {...tty, term: 'dumb'}), false);
	assert.equal(showsTui(output, {...tty, stdoutIsTty: false}), false);
	assert.equal(showsTui({json: false, tui: false}, tty), false);
});

test('--watch: its seconds optional (10 by default), whole seconds from 1 to 3600; --no-bell', () => {
	const stun = ['--stun', '127.0.0.1'];
	assert.equal(check(stun).output.watchMs, undefined, 'no watching unless asked');
	assert.equal(check(stun).output.bell, undefined);
	assert.equal(check([...stun, '--watch']).output.watchMs, 10_000);
	assert.equal(check(['--watch', ...stun]).output.watchMs, 10_000, 'a bare --watch before another flag');
	assert.equal(check(['--watch=']).output.watchMs, 10_000);
	assert.equal(check([...stun, '--watch', '30']).output.watchMs, 30_000);
	assert.equal(check([...stun, '--watch=1']).output.watchMs, 1000);
	assert.equal(check([...stun, '--watch', '3600', '--json']).output.watchMs, 3_600_000);
	assert.equal(check([...stun, '--watch', '--no-bell']).output.bell, false);
	for (const value of ['0', '3601', '1.5', 'abc', '1e3', '99999999']) {
		refused([...stun, '--watch', value], new RegExp(`^--watch takes whole seconds from 1 to 3600, not "${value}"$`));
	}

	refused([...stun, '--watch', '-5'], /^--watch takes whole seconds from 1 to 3600, not "-5"$/);
	refused([...stun, '--no-watch'], /^--no-watch: --watch takes a value and cannot be turned off$/);
	refused([...stun, '--watch', '5', '--watch'], /^--watch is given more than once \(5, then \(no value\)\): give it once$/);
});
