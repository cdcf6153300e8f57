import {randomFillSync} from 'node:crypto';

/** IDs drawn per call to the CSPRNG: one call per ID cost a few percent of a large sweep. */
const batch = 1024;
const pool = Buffer.alloc(12 * batch);
let next = batch;

/** A fresh 96-bit transaction ID from the CSPRNG: guessing it is how forged replies would pass. */
export const newTransactionId = (): Buffer => {
	if (next === batch) {
		randomFillSync(pool);
		next = 0;
	}

	// A copy: the pool is refilled in place, and an ID must never change under its transaction.
	const id = Buffer.from(pool.subarray(next * 12, next * 12 + 12));
	next++;
	return id;
};
