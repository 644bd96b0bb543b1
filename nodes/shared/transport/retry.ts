import { backOff } from 'exponential-backoff';

/** A request that came back asking to be sent again later (HTTP 429). */
export class RetryLaterError extends Error {
	constructor(
		readonly statusCode: number,
		/** Seconds from the Retry-After header, when the service sent one. */
		readonly retryAfterSeconds: number | undefined,
		readonly response: unknown,
	) {
		super(`The service answered ${statusCode}: too many requests`);
		this.name = 'RetryLaterError';
	}
}

export interface RetryPolicy {
	attempts: number;
	firstDelayMs: number;
	maxDelayMs: number;
}

/** Throttled requests are never processed, so sending them again is always safe. */
export const THROTTLE_RETRY: RetryPolicy = { attempts: 5, firstDelayMs: 500, maxDelayMs: 8_000 };

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `send` again with exponential backoff (full jitter) while it throws
 * RetryLaterError, waiting at least what Retry-After asks for; any other
 * error ends at once. After the last attempt the RetryLaterError surfaces.
 */
export async function retryWhenThrottled<T>(
	send: () => Promise<T>,
	policy: RetryPolicy = THROTTLE_RETRY,
): Promise<T> {
	return await backOff(send, {
		numOfAttempts: policy.attempts,
		startingDelay: policy.firstDelayMs,
		maxDelay: policy.maxDelayMs,
		jitter: 'full',
		retry: async (error: unknown) => {
			if (!(error instanceof RetryLaterError)) return false;
			if (error.retryAfterSeconds !== undefined)
				await sleep(Math.min(error.retryAfterSeconds * 1000, policy.maxDelayMs));
			return true;
		},
	});
}

export function retryAfterSeconds(headers: Record<string, unknown>): number | undefined {
	const value = headers['retry-after'];
	const seconds = Number(Array.isArray(value) ? value[0] : value);
	return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
