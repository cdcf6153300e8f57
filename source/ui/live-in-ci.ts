// Ink draws nothing until exit when it believes it runs in CI (it reads CI and
// CONTINUOUS_INTEGRATION once, when first imported). fwcheck only shows the TUI on a real
// terminal, where a live table is wanted even if the shell has CI set (a CI runner's debug
// shell, or our own tmux test under CI=true). Imported before Ink.
import process from 'node:process';

for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) {
	if (key in process.env) {
		process.env[key] = 'false';
	}
}
