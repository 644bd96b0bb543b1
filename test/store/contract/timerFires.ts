import {
	completeTimerFire,
	fireTimer,
	freshStoreForEachTest,
	UUID,
	T0,
	timerEvent,
	timerInput,
	setNow,
	type StoreFactory,
} from './fixtures';
import type { ClaimedTimer, Timer, TimerFirePlan } from '../../../nodes/shared/store/types';

export function describeTimerFiresContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): timers: claims and fires`, () => {
		const store = freshStoreForEachTest(factory);
		/** Completes a claim as a one-shot fire at T0; null when the claim went stale. */
		const completeClaim = (claim: ClaimedTimer) =>
			fireTimer(
				store,
				claim.timer.id,
				claim.leaseToken,
				{ firedAt: T0, nextFireAt: null },
				timerEvent,
			);
		it('nextDueAt is the earliest next fire among enabled, scheduled, unleased timers', async () => {
			setNow(T0);
			await expect(store.nextDueAt()).resolves.toBeNull();
			await store.putTimer(
				timerInput({ timerName: 'disabled', nextFireAt: T0 - 500, enabled: false }),
			);
			await store.putTimer(timerInput({ timerName: 'done', nextFireAt: null }));
			await store.putTimer(timerInput({ timerName: 'cancelled', nextFireAt: T0 - 400 }));
			await store.cancelTimer('persona-1', 'cancelled');
			await expect(store.nextDueAt()).resolves.toBeNull();
			await store.putTimer(timerInput({ timerName: 'leased', nextFireAt: T0 - 300 }));
			await store.putTimer(timerInput({ timerName: 'later', nextFireAt: T0 + 2000 }));
			await store.putTimer(timerInput({ timerName: 'soon', nextFireAt: T0 + 1000 }));
			await expect(store.nextDueAt()).resolves.toBe(T0 - 300);
			await store.claimDueTimers(T0, 10, 5000);
			await expect(store.nextDueAt()).resolves.toBe(T0 + 1000);
		});

		it('nextDueAt counts a timer again once its lease has expired', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			await store.claimDueTimers(T0, 10, 5000);
			await expect(store.nextDueAt()).resolves.toBeNull();
			setNow(T0 + 5000);
			await expect(store.nextDueAt()).resolves.toBe(T0);
		});

		it('claimDueTimers claims due timers in next-fire order, up to the limit, each with its own lease', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ timerName: 'c', nextFireAt: T0 }));
			await store.putTimer(timerInput({ timerName: 'a', nextFireAt: T0 - 2000 }));
			await store.putTimer(timerInput({ timerName: 'b', nextFireAt: T0 - 1000 }));
			await store.putTimer(timerInput({ timerName: 'future', nextFireAt: T0 + 1 }));
			const first = await store.claimDueTimers(T0, 2, 30_000);
			expect(first.map((c) => c.timer.timerName)).toEqual(['a', 'b']);
			expect(first.every((c) => c.timer.leaseUntil === T0 + 30_000)).toBe(true);
			expect(new Set(first.map((c) => c.leaseToken)).size).toBe(2);
			await expect(store.getTimer('persona-1', 'a')).resolves.toMatchObject({
				leaseUntil: T0 + 30_000,
				state: 'scheduled',
			});
			const second = await store.claimDueTimers(T0, 10, 30_000);
			expect(second.map((c) => c.timer.timerName)).toEqual(['c']);
			await expect(store.claimDueTimers(T0, 10, 30_000)).resolves.toEqual([]);
		});

		it('claimDueTimers skips disabled, done and cancelled timers', async () => {
			await store.putTimer(timerInput({ timerName: 'disabled', nextFireAt: T0, enabled: false }));
			await store.putTimer(timerInput({ timerName: 'done', nextFireAt: null }));
			await store.putTimer(timerInput({ timerName: 'cancelled', nextFireAt: T0 }));
			await store.cancelTimer('persona-1', 'cancelled');
			await expect(store.claimDueTimers(T0 + 10_000, 10, 1000)).resolves.toEqual([]);
		});

		it('a timer whose lease expired is claimed again with a new token and the old token becomes stale', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [first] = await store.claimDueTimers(T0, 1, 1000);
			await expect(store.claimDueTimers(T0 + 999, 1, 1000)).resolves.toEqual([]);
			const [second] = await store.claimDueTimers(T0 + 1000, 1, 1000);
			expect(second.timer.id).toBe(first.timer.id);
			expect(second.leaseToken).not.toBe(first.leaseToken);
			expect(second.timer.leaseUntil).toBe(T0 + 2000);
			await expect(
				completeTimerFire(store, first.timer.id, first.leaseToken, {
					firedAt: T0,
					nextFireAt: null,
				}),
			).resolves.toBeNull();
			await expect(
				completeTimerFire(store, second.timer.id, second.leaseToken, {
					firedAt: T0 + 1000,
					nextFireAt: null,
				}),
			).resolves.toMatchObject({ fireCount: 1 });
		});

		it('completeTimerFire records the fire, reschedules a repeatable timer and releases the lease', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ nextFireAt: T0, repeatable: true, intervalSeconds: 60 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			setNow(T0 + 20);
			const fired = await completeTimerFire(store, claim.timer.id, claim.leaseToken, {
				firedAt: T0 + 10,
				nextFireAt: T0 + 60_000,
			});
			expect(fired).toEqual({
				...claim.timer,
				fireCount: 1,
				lastFiredAt: T0 + 10,
				nextFireAt: T0 + 60_000,
				state: 'scheduled',
				leaseUntil: null,
				updatedAt: T0 + 20,
			});
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(fired);
			await expect(store.nextDueAt()).resolves.toBe(T0 + 60_000);
		});

		it('completeTimerFire without a next fire makes a one-shot timer done', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			await expect(
				completeTimerFire(store, claim.timer.id, claim.leaseToken, {
					firedAt: T0,
					nextFireAt: null,
				}),
			).resolves.toMatchObject({
				state: 'done',
				nextFireAt: null,
				fireCount: 1,
				lastFiredAt: T0,
			});
			await expect(store.claimDueTimers(T0 + 100_000, 10, 1000)).resolves.toEqual([]);
		});

		it('completeTimerFire with a wrong or already used token returns null and changes nothing', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			await expect(
				completeTimerFire(store, claim.timer.id, 'not-the-token', {
					firedAt: T0,
					nextFireAt: null,
				}),
			).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(claim.timer);
			await completeTimerFire(store, claim.timer.id, claim.leaseToken, {
				firedAt: T0,
				nextFireAt: T0 + 10,
			});
			await expect(
				completeTimerFire(store, claim.timer.id, claim.leaseToken, {
					firedAt: T0,
					nextFireAt: null,
				}),
			).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toMatchObject({
				fireCount: 1,
				nextFireAt: T0 + 10,
			});
			await expect(
				completeTimerFire(store, 'no-such-timer', claim.leaseToken, {
					firedAt: T0,
					nextFireAt: null,
				}),
			).resolves.toBeNull();
		});

		it('a timer disabled while it fires stays disabled after completing, with the new schedule kept', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0, repeatable: true }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			await store.setTimerEnabled('persona-1', 'reminder', false);
			await expect(
				completeTimerFire(store, claim.timer.id, claim.leaseToken, {
					firedAt: T0,
					nextFireAt: T0 + 60_000,
				}),
			).resolves.toMatchObject({
				state: 'disabled',
				enabled: false,
				nextFireAt: T0 + 60_000,
				fireCount: 1,
			});
		});

		it('fireTimer records the fire and appends exactly one event, together', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ nextFireAt: T0, repeatable: true, intervalSeconds: 60 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			await store.registerConsumer('trigger', 0);
			setNow(T0 + 20);
			const fired = await fireTimer(
				store,
				claim.timer.id,
				claim.leaseToken,
				{ firedAt: T0 + 10, nextFireAt: T0 + 60_000 },
				timerEvent,
			);
			expect(fired).toEqual({
				timer: {
					...claim.timer,
					fireCount: 1,
					lastFiredAt: T0 + 10,
					nextFireAt: T0 + 60_000,
					state: 'scheduled',
					leaseUntil: null,
					updatedAt: T0 + 20,
				},
				event: {
					seq: expect.any(Number),
					id: expect.stringMatching(UUID),
					...timerEvent,
					createdAt: T0 + 20,
				},
			});
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(fired?.timer);
			await expect(store.readEvents('trigger')).resolves.toEqual([fired?.event]);
		});

		it('fireTimer without a next fire makes a one-shot timer done and still publishes its event', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			const fired = await fireTimer(
				store,
				claim.timer.id,
				claim.leaseToken,
				{ firedAt: T0, nextFireAt: null },
				timerEvent,
			);
			expect(fired?.timer).toMatchObject({ state: 'done', nextFireAt: null, fireCount: 1 });
			await expect(store.readEvents('trigger')).resolves.toEqual([fired?.event]);
		});

		it('fireTimer with a stale token changes no timer and publishes nothing', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			const outcome = { firedAt: T0, nextFireAt: null };
			await expect(
				fireTimer(store, claim.timer.id, 'not-the-token', outcome, timerEvent),
			).resolves.toBeNull();
			await expect(
				fireTimer(store, 'no-such-timer', claim.leaseToken, outcome, timerEvent),
			).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(claim.timer);
			await expect(store.readEvents('trigger')).resolves.toEqual([]);

			const fired = await fireTimer(store, claim.timer.id, claim.leaseToken, outcome, timerEvent);
			await expect(
				fireTimer(store, claim.timer.id, claim.leaseToken, outcome, timerEvent),
			).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toMatchObject({
				fireCount: 1,
			});
			await expect(store.readEvents('trigger')).resolves.toEqual([fired?.event]);
		});

		it('fireTimer after the timer was replaced or cancelled publishes nothing', async () => {
			await store.putTimer(timerInput({ timerName: 'replaced', nextFireAt: T0 }));
			await store.putTimer(timerInput({ timerName: 'cancelled', nextFireAt: T0 }));
			const claims = await store.claimDueTimers(T0, 10, 60_000);
			const replacement = await store.putTimer(
				timerInput({ timerName: 'replaced', nextFireAt: T0 + 1000 }),
			);
			await store.cancelTimer('persona-1', 'cancelled');
			for (const claim of claims) await expect(completeClaim(claim)).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'replaced')).resolves.toEqual(replacement);
			await expect(store.getTimer('persona-1', 'cancelled')).resolves.toMatchObject({
				state: 'cancelled',
				fireCount: 0,
			});
			await expect(store.readEvents('trigger')).resolves.toEqual([]);
		});

		it('of concurrent fireTimer calls with one lease exactly one records a fire and an event', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			const results = await Promise.all(Array.from({ length: 5 }, () => completeClaim(claim)));
			expect(results.filter((result) => result !== null)).toHaveLength(1);
			await expect(store.readEvents('trigger')).resolves.toHaveLength(1);
		});

		it('fireTimers fires a batch in order, leaving out stale tokens, one event per fire', async () => {
			for (const [index, name] of ['a', 'b', 'c'].entries())
				await store.putTimer(timerInput({ timerName: name, nextFireAt: T0 - 10 + index }));
			const claims = await store.claimDueTimers(T0, 10, 1000);
			const fires = claims.map((claim, index) => ({
				timerId: claim.timer.id,
				leaseToken: index === 1 ? 'stale' : claim.leaseToken,
				outcome: { firedAt: T0, nextFireAt: null },
				event: { ...timerEvent, payload: { timerName: claim.timer.timerName } },
			}));
			const results = await store.fireTimers(fires);
			expect(results.map((result) => result?.timer.timerName ?? null)).toEqual(['a', null, 'c']);
			expect(results[0]?.event.seq).toBeLessThan(results[2]?.event.seq ?? 0);
			await expect(store.readEvents('trigger')).resolves.toEqual([
				results[0]?.event,
				results[2]?.event,
			]);
			await expect(store.getTimer('persona-1', 'b')).resolves.toEqual(claims[1].timer);
			await expect(store.fireTimers([])).resolves.toEqual([]);
		});

		it('concurrent claimDueTimers calls never hand out the same timer twice', async () => {
			for (let i = 0; i < 30; i++)
				await store.putTimer(timerInput({ timerName: `t${i}`, nextFireAt: T0 - i }));
			const batches = await Promise.all(
				Array.from({ length: 8 }, () => store.claimDueTimers(T0, 5, 60_000)),
			);
			const ids = batches.flat().map((c) => c.timer.id);
			expect(ids).toHaveLength(30);
			expect(new Set(ids).size).toBe(30);
		});

		it('claimDueTimers rejects a limit that is not a positive integer', async () => {
			await expect(store.claimDueTimers(T0, 0, 1000)).rejects.toThrow(RangeError);
		});

		/** A plan as the engine makes one: repeatable timers every minute, the rest done. */
		const planAt =
			(firedAt: number): TimerFirePlan =>
			(timer) => ({
				outcome: { firedAt, nextFireAt: timer.repeatable ? firedAt + 60_000 : null },
				event: {
					...timerEvent,
					payload: { timerName: timer.timerName, fireCount: timer.fireCount + 1 },
				},
			});

		it('fireDueTimers fires due timers in next-fire order, up to the limit, one event each, as stored', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ timerName: 'c', nextFireAt: T0 }));
			await store.putTimer(
				timerInput({
					timerName: 'a',
					nextFireAt: T0 - 2000,
					repeatable: true,
					intervalSeconds: 60,
				}),
			);
			await store.putTimer(timerInput({ timerName: 'b', nextFireAt: T0 - 1000 }));
			await store.putTimer(timerInput({ timerName: 'future', nextFireAt: T0 + 1 }));
			await store.putTimer(timerInput({ timerName: 'off', nextFireAt: T0 - 5000, enabled: false }));
			const planned: Timer[] = [];
			const first = await store.fireDueTimers(T0, 2, (timer) => {
				planned.push(timer);
				return planAt(T0)(timer);
			});
			expect(planned.map((timer) => [timer.timerName, timer.fireCount])).toEqual([
				['a', 0],
				['b', 0],
			]);
			expect(first.map(({ timer }) => timer.timerName)).toEqual(['a', 'b']);
			expect(first[0].timer).toMatchObject({
				state: 'scheduled',
				nextFireAt: T0 + 60_000,
				fireCount: 1,
				lastFiredAt: T0,
				leaseUntil: null,
			});
			expect(first[1].timer).toMatchObject({ state: 'done', nextFireAt: null, fireCount: 1 });
			for (const { timer } of first)
				await expect(store.getTimer('persona-1', timer.timerName)).resolves.toEqual(timer);
			const second = await store.fireDueTimers(T0, 10, planAt(T0));
			expect(second.map(({ timer }) => timer.timerName)).toEqual(['c']);
			await expect(store.fireDueTimers(T0, 10, planAt(T0))).resolves.toEqual([]);
			await expect(store.readEvents('trigger')).resolves.toEqual(
				[...first, ...second].map(({ event }) => event),
			);
			expect(first[1].event.payload).toEqual({ timerName: 'b', fireCount: 1 });
		});

		it('fireDueTimers leaves a timer claimed by claimDueTimers to its claimer until the lease ends', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 1000);
			await expect(store.fireDueTimers(T0 + 999, 10, planAt(T0 + 999))).resolves.toEqual([]);
			const [taken] = await store.fireDueTimers(T0 + 1000, 10, planAt(T0 + 1000));
			expect(taken.timer).toMatchObject({ state: 'done', fireCount: 1, leaseUntil: null });
			// The old claim is stale now: completing it changes nothing.
			await expect(completeClaim(claim)).resolves.toBeNull();
			await expect(store.readEvents('trigger')).resolves.toEqual([taken.event]);
		});

		it('fireDueTimers records nothing when planning one fire of the batch fails', async () => {
			for (const name of ['a', 'b', 'c'])
				await store.putTimer(timerInput({ timerName: name, nextFireAt: T0 - 10 }));
			const failing: TimerFirePlan = (timer) => {
				if (timer.timerName === 'b') throw new Error('cannot plan b');
				return planAt(T0)(timer);
			};
			await expect(store.fireDueTimers(T0, 10, failing)).rejects.toThrow('cannot plan b');
			const timers = await store.listTimers();
			expect(timers.map((timer) => [timer.state, timer.fireCount])).toEqual([
				['scheduled', 0],
				['scheduled', 0],
				['scheduled', 0],
			]);
			await expect(store.readEvents('trigger')).resolves.toEqual([]);
		});

		it('concurrent fireDueTimers calls never fire the same timer twice', async () => {
			for (let i = 0; i < 30; i++)
				await store.putTimer(timerInput({ timerName: `t${i}`, nextFireAt: T0 - i }));
			const batches = await Promise.all(
				Array.from({ length: 8 }, () => store.fireDueTimers(T0, 5, planAt(T0))),
			);
			const ids = batches.flat().map(({ timer }) => timer.id);
			expect(ids).toHaveLength(30);
			expect(new Set(ids).size).toBe(30);
			await expect(store.readEvents('trigger', { limit: 100 })).resolves.toHaveLength(30);
		});

		it('fireDueTimers rejects a limit that is not a positive integer', async () => {
			await expect(store.fireDueTimers(T0, 0, planAt(T0))).rejects.toThrow(RangeError);
		});
	});
}
