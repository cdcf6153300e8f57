/**
 * One abort listener per signal, however many transactions wait on it. A sweep has thousands of
 * transactions in flight on one shared signal; adding and removing an EventTarget listener each
 * scans the listener list, which made a 16000-port check spend 41% of its time there.
 */
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Call `callback` once when `signal` aborts; returns the function that stops watching. */
export const watchAbort = (signal: AbortSignal, callback: () => void): (() => void) => {
	let callbacks = watchers.get(signal);
	if (!callbacks) {
		const created = new Set<() => void>();
		callbacks = created;
		watchers.set(signal, created);
		signal.addEventListener(
			'abort',
			() => {
				const waiting = [...created];
				created.clear();
				for (const waiter of waiting) {
					waiter();
				}
			},
			{once: true},
		);
	}

	const set = callbacks;
	set.add(callback);
	return () => {
		set.delete(callback);
	};
};
