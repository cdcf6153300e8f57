import {once} from 'node:events';
import type {Writable} from 'node:stream';

/**
 * Write the pieces in order, waiting for 'drain' whenever the stream asks to: a slow reader of
 * `fwcheck --json` (a pipe, ssh) then holds back the making of the next pieces rather than
 * letting them pile up in memory.
 */
export const writeChunks = async (stream: Writable, chunks: Iterable<string>): Promise<void> => {
	for (const chunk of chunks) {
		if (!stream.write(chunk)) {
			await once(stream, 'drain');
		}
	}
};
