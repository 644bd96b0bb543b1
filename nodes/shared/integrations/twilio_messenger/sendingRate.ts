/**
 * The Send SMS/MMS node's sending rate: messages per second per sender, a
 * token bucket kept in the session store (contract/rates.ts), so the items
 * of a run and every run sending as the same sender, in any process on the
 * store, share one pace. Each request Twilio sees takes a token, a retry
 * after 429 too.
 *
 * The documented burst is a tenth of the rate (at least 1): no one-second
 * window holds more than rate + burst messages of a sender. The bucket
 * itself runs at 95 % of the rate, one message at a time: the burst and the
 * 5 % are margin for requests that leave later than their token was taken
 * (a busy event loop holds some back, then they go together), so the bound
 * still holds where Twilio counts. Measured in a loaded n8n, such delays
 * reached tens of milliseconds, more than half a burst at 200 a second.
 */
import type { CommandContext } from '../../commands/types';
import type { RateTake, SessionStore } from '../../store/types';
import type { TwilioFormValue } from '../../transport/twilio';

/** Messages of one sender that may go at once after a quiet spell, by the documented rule. */
export function sendingBurst(ratePerSecond: number): number {
	return Math.max(1, Math.ceil(ratePerSecond / 10));
}

/** The share of the rate the bucket grants; the rest is margin. */
const PACE_SHARE = 0.95;

/** The bucket's take for a sender of an account. */
export function senderTake(accountSid: string, sender: string, ratePerSecond: number): RateTake {
	return {
		key: `twilio:${accountSid}:${sender}`,
		ratePerSecond: ratePerSecond * PACE_SHARE,
		burst: 1,
	};
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waiters of this process, by key: they queue here so that only the first
 * asks the store, once per token, instead of every waiter at every token.
 */
const queues = new Map<string, Promise<void>>();

/** Resolves once the take's bucket grants a token (in the order this process asked). */
export async function waitForToken(
	store: SessionStore,
	take: RateTake,
	wait: (ms: number) => Promise<unknown> = sleep,
): Promise<void> {
	const before = queues.get(take.key) ?? Promise.resolve();
	const mine = before.then(async () => {
		for (let ms = await store.takeRateToken(take); ms > 0; ms = await store.takeRateToken(take))
			await wait(ms);
	});
	// A failed take fails its own waiter only; the queue goes on.
	const settled = mine.catch(() => undefined);
	queues.set(take.key, settled);
	void settled.then(() => {
		if (queues.get(take.key) === settled) queues.delete(take.key);
	});
	await mine;
}

/** What a message waits for before each attempt at the node's sending rate; undefined without one. */
export function senderPace(
	context: CommandContext,
	accountSid: string,
	form: Record<string, TwilioFormValue>,
): (() => Promise<void>) | undefined {
	const rate = context.sendingRate;
	const sender = form.From ?? form.MessagingServiceSid;
	if (rate === undefined || rate <= 0 || typeof sender !== 'string') return undefined;
	const take = senderTake(accountSid, sender, rate);
	return async () => await waitForToken(context.store, take);
}
