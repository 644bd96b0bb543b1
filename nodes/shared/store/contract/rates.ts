/**
 * The rates role: sending paces shared by every process on the store, so
 * that concurrent runs sending as one sender together keep its rate.
 *
 * A pace is a token bucket kept as one number per key, its theoretical
 * arrival time (the generic cell rate algorithm): each take moves it one
 * interval (1000 / rate ms) on, and a take is granted while it is no more
 * than burst − 1 intervals ahead of now. So `burst` sends may go at once
 * after a quiet spell, and no window of one second holds more than rate +
 * burst granted takes.
 */

export interface RateTake {
	/** What is paced, e.g. a sender: takes on one key share its bucket. */
	key: string;
	/** Takes per second; a positive number. */
	ratePerSecond: number;
	/** How many takes may go at once after a quiet spell; a whole number of at least 1. */
	burst: number;
}

export interface RatesRole {
	/**
	 * Takes one token of the key's bucket at `now`, in one atomic step.
	 * Resolves to 0 when it was granted, else to the milliseconds (more than
	 * 0) until one may be, having taken nothing. Rejects a rate that is not a
	 * positive number or a burst that is not a whole number of at least 1.
	 */
	takeRateToken(take: RateTake, now?: number): Promise<number>;
}
