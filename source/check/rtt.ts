/**
 * Smoothed round-trip time and the retransmission timeout derived from it (RFC 6298's
 * estimator, as RFC 8489 §6.2.1 suggests). The fixed STUN defaults (500 ms doubling to 39.5 s)
 * would make a range check take minutes; the measured RTT lets it decide in a few RTOs.
 */
export class RttEstimator {
	#srtt: number | undefined;
	#rttvar = 0;

	constructor(
		readonly minRtoMs = 100,
		readonly maxRtoMs = 3000,
	) {}

	/** Feed only samples from requests answered on their first send (Karn's rule). */
	sample(rttMs: number): void {
		if (this.#srtt === undefined) {
			this.#srtt = rttMs;
			this.#rttvar = rttMs / 2;
			return;
		}

		this.#rttvar = 0.75 * this.#rttvar + 0.25 * Math.abs(this.#srtt - rttMs);
		this.#srtt = 0.875 * this.#srtt + 0.125 * rttMs;
	}

	get srttMs(): number | undefined {
		return this.#srtt;
	}

	get rtoMs(): number {
		if (this.#srtt === undefined) {
			return 500;
		}

		return Math.min(this.maxRtoMs, Math.max(this.minRtoMs, this.#srtt + 4 * this.#rttvar));
	}
}
