import {
	senderPace,
	senderTake,
	sendingBurst,
	waitForToken,
} from '../../nodes/shared/integrations/twilio_messenger/sendingRate';
import type { CommandContext } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';

/** The most of `times` (ms) that any window of `windowMs` holds. */
function busiestWindow(times: number[], windowMs = 1000): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (const [index, start] of sorted.entries()) {
		let end = index;
		while (end < sorted.length && sorted[end] < start + windowMs) end++;
		most = Math.max(most, end - index);
	}
	return most;
}

describe('sending rate', () => {
	let store: MemoryStore;
	beforeEach(() => {
		store = new MemoryStore();
	});
	afterEach(async () => {
		await store.close();
	});

	test('the documented burst is a tenth of the rate, at least 1; the bucket runs at 95 % of the rate, one at a time, keeping the rest as margin', () => {
		expect([0.5, 1, 10, 11, 200, 1000].map(sendingBurst)).toEqual([1, 1, 1, 2, 20, 100]);
		expect(senderTake('AC1', '+16505550100', 200)).toEqual({
			key: 'twilio:AC1:+16505550100',
			ratePerSecond: 190,
			burst: 1,
		});
	});

	test('waiters of a process queue: in order, one store take per grant, never more than the bucket allows', async () => {
		const take = { key: 'k', ratePerSecond: 100, burst: 5 };
		const takes = jest.spyOn(store, 'takeRateToken');
		const granted: number[] = [];
		const order: number[] = [];
		const started = Date.now();
		await Promise.all(
			Array.from({ length: 60 }, async (_, index) => {
				await waitForToken(store, take);
				granted.push(Date.now());
				order.push(index);
			}),
		);
		expect(order).toEqual(Array.from({ length: 60 }, (_, index) => index));
		// 5 at once, then one every 10 ms: about 550 ms for 60.
		expect(Date.now() - started).toBeGreaterThanOrEqual(540);
		expect(busiestWindow(granted, 100)).toBeLessThanOrEqual(10 + 5 + 1);
		// Only the head of the queue asks: a grant, or a refusal with the wait, per token after the burst.
		expect(takes.mock.calls.length).toBeLessThanOrEqual(60 + 2 * 55);
	});

	test('another process on the store (its own queue, asking the store itself) shares the pace', async () => {
		const take = { key: 'shared', ratePerSecond: 50, burst: 2 };
		const granted: number[] = [];
		const thisProcess = async () => {
			for (let index = 0; index < 20; index++) {
				await waitForToken(store, take);
				granted.push(Date.now());
			}
		};
		const otherProcess = async () => {
			for (let index = 0; index < 20; index++) {
				for (let ms = await store.takeRateToken(take); ms > 0; ms = await store.takeRateToken(take))
					await new Promise((resolve) => setTimeout(resolve, ms));
				granted.push(Date.now());
			}
		};
		const started = Date.now();
		await Promise.all([thisProcess(), otherProcess()]);
		expect(granted).toHaveLength(40);
		// 2 at once, then one every 20 ms between them: about 760 ms for 40.
		expect(Date.now() - started).toBeGreaterThanOrEqual(740);
		expect(busiestWindow(granted, 200)).toBeLessThanOrEqual(10 + 2 + 1);
	});

	test('a failed take fails its own waiter only; the queue goes on', async () => {
		const take = { key: 'k', ratePerSecond: 1000, burst: 1 };
		jest.spyOn(store, 'takeRateToken').mockRejectedValueOnce(new Error('store down'));
		const outcomes = await Promise.allSettled([
			waitForToken(store, take),
			waitForToken(store, take),
		]);
		expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled']);
	});

	test('senderPace: none without a rate or a sender; with both, each call waits for a token of that sender', async () => {
		const context = { store, sendingRate: undefined } as unknown as CommandContext;
		expect(senderPace(context, 'AC1', { From: '+16505550100' })).toBeUndefined();
		const paced = { ...context, sendingRate: 2 };
		expect(senderPace(paced, 'AC1', { To: '+16507000000' })).toBeUndefined();
		const pace = senderPace(paced, 'AC1', { MessagingServiceSid: 'MG1' });
		if (!pace) throw new Error('expected a pace');
		const started = Date.now();
		await pace();
		await pace();
		// 2 a second at 95 %: the second token 526 ms after the first.
		expect(Date.now() - started).toBeGreaterThanOrEqual(520);
		await expect(store.takeRateToken(senderTake('AC1', 'MG1', 2))).resolves.toBeGreaterThan(0);
	});
});
