/**
 * What becomes of a port once its Test 3 is decided, and when a chunk's failures are handed on
 * to Tests 1-2: pure, so every case is table-tested.
 *
 * Once a port has sent, a router that lets replies in would let Test 3's answer in too, so a
 * failed Test 3 can only be rechecked soundly before the port sends: a failed port parks its
 * socket until its chunk's rechecks are done and the failure stands. A passed one goes on at
 * once, on the same socket.
 */

/** How one port's Test 3 probe ended, on its bound socket. */
export interface Test3Ending {
	/** Whether the server's answer came in; undefined when the probe stopped part way. */
	passed: boolean | undefined;
	/** The pass was cancelled, or the server refused Test 3, meanwhile. */
	cancelled: boolean;
}

export type Test3Next =
	/** Its Test 3 is kept, and its socket goes on to Tests 1-2 at once. */
	| 'proceed'
	/** Its Test 3 is kept, its socket parks, and it waits for its chunk's rechecks. */
	| 'park'
	/** No Test 3 for the port, its socket closed. */
	| 'drop';

/**
 * A pass goes on at once and a failure parks, in the quick pass and in a recheck alike: a recheck
 * that flips a failure sends the port on as soon as it ends. (A port another program holds never
 * gets here: it goes on to Tests 1-2 at once, with no socket, and they name its owner.)
 */
export const afterTest3 = (ending: Test3Ending): Test3Next => {
	if (ending.passed === undefined || ending.cancelled) {
		return 'drop';
	}

	return ending.passed ? 'proceed' : 'park';
};

/**
 * The ports of a chunk whose Test 3 failure stands once its rechecks are done: those whose latest
 * Test 3 still failed. One that flipped to pass, or turned out busy, went on when its recheck
 * ended; one with no Test 3 at all goes on with the ports left at the end of the pass.
 */
export const stoodFailures = (chunk: readonly number[], latest: ReadonlyMap<number, {status: string}>): number[] =>
	chunk.filter(port => latest.get(port)?.status === 'fail');

/** What a port's finished Test 3 completes. */
export interface ChunkStep {
	/** The chunk whose quick pass this port completed: its failures are rechecked now. */
	chunk: readonly number[] | undefined;
	/** It completed the last chunk: the whole quick pass is over. */
	quickPassOver: boolean;
}

const nothing: ChunkStep = {chunk: undefined, quickPassOver: false};

/**
 * Counts each chunk's quick Test 3s down (test3Chunks in recheck-plan.ts). Chunks finish in any
 * order, since the window spans chunk boundaries; a recheck comes only after its chunk's quick
 * pass, so it finds the count at 0 and completes nothing.
 */
export class Test3ChunkProgress {
	readonly #chunkOf: Map<number, {ports: readonly number[]; left: number}>;
	#chunksLeft: number;

	constructor(chunks: ReadonlyArray<readonly number[]>) {
		this.#chunkOf = new Map(
			chunks.flatMap(ports => {
				const chunk = {ports, left: ports.length};
				return ports.map(port => [port, chunk] as const);
			}),
		);
		this.#chunksLeft = chunks.length;
	}

	/** A port's Test 3 ended with a result (quick pass or recheck). */
	finished(port: number): ChunkStep {
		const chunk = this.#chunkOf.get(port);
		if (!chunk || chunk.left === 0 || --chunk.left > 0) {
			return nothing;
		}

		return {chunk: chunk.ports, quickPassOver: --this.#chunksLeft === 0};
	}
}
