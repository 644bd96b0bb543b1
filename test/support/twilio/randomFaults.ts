/**
 * Faults at random rates (Send SMS/MMS reliability tests). `inject` faults
 * the next N matching requests; these fault a share of them, anywhere in a
 * run, the way a throttled or failing service does under load.
 */
import { defaultTwilioHandler } from './handlers';
import type { TwilioHandler } from './types';
import { STANDARD_MESSAGES, twilioError } from './wire';

export interface RandomFaultRates {
	/** Share of answers that are 429: never processed, as Twilio's are. */
	throttled: number;
	/** Share answered 500 before processing: nothing is created. */
	failedBefore?: number;
	/** Share answered 502 after processing: the resource exists, the answer says it failed. */
	failedAfter?: number;
	/** Seed of the generator, so a run can be repeated. */
	seed?: number;
}

export interface RandomFaultTally {
	throttled: number;
	failedBefore: number;
	/** SIDs of what was created although the answer was 502. */
	createdButFailed: string[];
	passed: number;
}

/** Small seeded generator (mulberry32): the same seed gives the same faults. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A handler for `operationId` that answers a share of requests with faults
 * and processes the rest with the built-in handler; the tally says what
 * happened. Use it with `server.handle(operationId, handler)`.
 */
export function randomFaults(
	operationId: string,
	rates: RandomFaultRates,
): { handler: TwilioHandler; tally: RandomFaultTally } {
	const process = defaultTwilioHandler(operationId);
	const random = seededRandom(rates.seed ?? 1);
	const tally: RandomFaultTally = {
		throttled: 0,
		failedBefore: 0,
		createdButFailed: [],
		passed: 0,
	};
	const handler: TwilioHandler = async (context) => {
		const draw = random();
		const failedBefore = rates.failedBefore ?? 0;
		const failedAfter = rates.failedAfter ?? 0;
		if (draw < rates.throttled) {
			tally.throttled += 1;
			return twilioError(429, 20429, STANDARD_MESSAGES[429] ?? 'Too Many Requests');
		}
		if (draw < rates.throttled + failedBefore) {
			tally.failedBefore += 1;
			return twilioError(500, 20500, STANDARD_MESSAGES[500] ?? 'Internal Server Error');
		}
		const reply = await process(context);
		if (draw < rates.throttled + failedBefore + failedAfter && reply.status < 300) {
			tally.createdButFailed.push(String((reply.body as { sid?: unknown } | undefined)?.sid));
			return twilioError(502, 20502, STANDARD_MESSAGES[502] ?? 'Bad Gateway');
		}
		tally.passed += 1;
		return reply;
	};
	return { handler, tally };
}

export interface ConcurrencyCapTally {
	/** The most requests in the handler at once. */
	peak: number;
	/** Requests answered 429 because `limit` were in flight already. */
	capped: number;
}

/**
 * `handler` behind Twilio's concurrency limit: a request that finds `limit`
 * others in flight is answered 429 (error 20429) at once, unprocessed; the
 * others take `holdMs` before they are answered.
 */
export function capConcurrency(
	handler: TwilioHandler,
	limit: number,
	holdMs: number,
): { handler: TwilioHandler; tally: ConcurrencyCapTally } {
	const tally: ConcurrencyCapTally = { peak: 0, capped: 0 };
	let inFlight = 0;
	const capped: TwilioHandler = async (context) => {
		if (inFlight >= limit) {
			tally.capped += 1;
			return twilioError(429, 20429, STANDARD_MESSAGES[429] ?? 'Too Many Requests');
		}
		inFlight += 1;
		tally.peak = Math.max(tally.peak, inFlight);
		try {
			await new Promise((resolve) => setTimeout(resolve, holdMs));
			return await handler(context);
		} finally {
			inFlight -= 1;
		}
	};
	return { handler: capped, tally };
}
