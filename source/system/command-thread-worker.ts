// The worker side of command-thread.ts: each request run with execa (run-command.ts's runner),
// side by side, and answered with its output or its failure's fields.
import {parentPort} from 'node:worker_threads';
import {type CommandAnswer, type CommandRequest, failureOf} from './command-thread.js';
import {defaultRunner} from './run-command.js';

const answer = async ({id, file, args, timeoutMs}: CommandRequest): Promise<CommandAnswer> => {
	try {
		const {stdout} = await defaultRunner(file, args, {timeoutMs});
		return {id, stdout};
	} catch (error: unknown) {
		return {id, failure: failureOf(error)};
	}
};

parentPort?.on('message', (request: CommandRequest) => {
	void answer(request).then(reply => parentPort?.postMessage(reply));
});
