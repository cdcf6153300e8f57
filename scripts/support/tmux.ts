// A private tmux server (its own -L socket, no config file) to run the TUI in a real terminal.
import {spawnSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';

export type TmuxResult = {ok: boolean; stdout: string; stderr: string};

const live = new Set<PrivateTmux>();

/** Our environment minus what would switch colours off: the tmux server (and the app) get it. */
function tmuxEnv(): NodeJS.ProcessEnv {
	const env = {...process.env};
	delete env.NO_COLOR;
	delete env.FORCE_COLOR;
	delete env.TMUX;
	return env;
}

export class PrivateTmux {
	constructor(readonly socket: string) {
		live.add(this);
	}

	run(...args: string[]): TmuxResult {
		const r = spawnSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {
			encoding: 'utf8',
			timeout: 10_000,
			env: tmuxEnv(),
		});
		return {ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? ''};
	}

	/** A detached session of columns x rows running `command` (a shell line), without a status bar. */
	newSession(name: string, columns: number, rows: number, cwd: string, command: string): void {
		const created = this.run('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), '-c', cwd, command);
		if (!created.ok) throw new Error(`tmux new-session: ${created.stderr.trim()}`);
		this.run('set-option', '-g', 'status', 'off');
	}

	/** "80x24, TERM tmux-256color": what the app inside sees. */
	describe(target: string): string {
		const size = this.run('display-message', '-p', '-t', target, '#{pane_width}x#{pane_height}').stdout.trim();
		return `${size}, TERM ${this.run('show-options', '-g', '-v', 'default-terminal').stdout.trim()}`;
	}

	/** The visible screen, as text or (colour) with the SGR codes tmux re-creates. */
	capture(target: string, colour = false): string {
		return this.run('capture-pane', '-p', ...(colour ? ['-e'] : []), '-t', target).stdout;
	}

	sendKeys(target: string, ...keys: string[]): void {
		this.run('send-keys', '-t', target, ...keys);
	}

	/** Stops the server; tmux may leave its socket file behind, ours alone, so it goes too. */
	kill(): void {
		if (!live.delete(this)) return;
		spawnSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore', timeout: 10_000});
		rmSync(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, this.socket), {force: true});
	}
}

/** For exit and signal handlers: stops every server this process started and has not stopped. */
export function killLiveTmuxServers(): void {
	for (const server of [...live]) server.kill();
}

/** Lines on a captured screen, trailing empty ones left out. */
export const screenLines = (text: string): number => {
	const lines = text.replace(/\n+$/, '').split('\n');
	return lines.length === 1 && lines[0] === '' ? 0 : lines.length;
};
