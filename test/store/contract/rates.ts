import { freshStoreForEachTest, T0, type StoreFactory } from './fixtures';

/** 10 a second, 3 at once: one every 100 ms. */
const sender = { key: 'twilio:+16505550100', ratePerSecond: 10, burst: 3 };

export function describeRatesContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): sending rates`, () => {
		const store = freshStoreForEachTest(factory);

		it('grants a burst at once, then one take per interval, saying how long to wait', async () => {
			const takes = [];
			for (let take = 0; take < 4; take++) takes.push(await store.takeRateToken(sender, T0));
			expect(takes).toEqual([0, 0, 0, 100]);
			// Refused takes took nothing: the next is due one interval after the burst.
			await expect(store.takeRateToken(sender, T0 + 99)).resolves.toBe(1);
			await expect(store.takeRateToken(sender, T0 + 100)).resolves.toBe(0);
			await expect(store.takeRateToken(sender, T0 + 150)).resolves.toBe(50);
			await expect(store.takeRateToken(sender, T0 + 200)).resolves.toBe(0);
		});

		it('a quiet spell refills the bucket only up to the burst', async () => {
			await store.takeRateToken(sender, T0);
			const later = T0 + 60_000;
			const takes = [];
			for (let take = 0; take < 4; take++) takes.push(await store.takeRateToken(sender, later));
			expect(takes).toEqual([0, 0, 0, 100]);
		});

		it('keys have buckets of their own, and fractional intervals add up', async () => {
			const other = { ...sender, key: 'twilio:+16505550101' };
			const third = { key: 'slow', ratePerSecond: 3, burst: 1 };
			await expect(store.takeRateToken(sender, T0)).resolves.toBe(0);
			await expect(store.takeRateToken(other, T0)).resolves.toBe(0);
			await expect(store.takeRateToken(third, T0)).resolves.toBe(0);
			await expect(store.takeRateToken(third, T0 + 333)).resolves.toBe(1);
			await expect(store.takeRateToken(third, T0 + 334)).resolves.toBe(0);
			// Granted late, the next is due an interval after this take: at T0 + 667.33.
			await expect(store.takeRateToken(third, T0 + 667)).resolves.toBe(1);
			await expect(store.takeRateToken(third, T0 + 668)).resolves.toBe(0);
		});

		it('no one-second window holds more than rate + burst granted takes', async () => {
			const granted: number[] = [];
			for (let now = T0; now < T0 + 5_000; now += 7) {
				while ((await store.takeRateToken(sender, now)) === 0) granted.push(now);
			}
			for (const [index, start] of granted.entries()) {
				const inWindow = granted.slice(index).filter((at) => at < start + 1000).length;
				expect(inWindow).toBeLessThanOrEqual(sender.ratePerSecond + sender.burst);
			}
			// And the pace holds: about rate a second over the whole run.
			expect(granted.length).toBeGreaterThanOrEqual(50);
			expect(granted.length).toBeLessThanOrEqual(53);
		});

		it('rejects a rate that is not positive and a burst below 1 or not whole', async () => {
			await expect(store.takeRateToken({ ...sender, ratePerSecond: 0 }, T0)).rejects.toThrow(
				/rate must be a positive number/,
			);
			await expect(store.takeRateToken({ ...sender, burst: 0 }, T0)).rejects.toThrow(
				/burst must be a whole number/,
			);
			await expect(store.takeRateToken({ ...sender, burst: 1.5 }, T0)).rejects.toThrow(
				/burst must be a whole number/,
			);
		});
	});
}
