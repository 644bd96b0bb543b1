import {
	completeTimerFire,
	freshStoreForEachTest,
	UUID,
	T0,
	timerInput,
	setNow,
	type StoreFactory,
} from './fixtures';

export function describeTimersContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): timers: putting, listing, enabling, cancelling`, () => {
		const store = freshStoreForEachTest(factory);
		it('putTimer creates a scheduled timer when it is enabled and has a next fire', async () => {
			setNow(T0);
			const timer = await store.putTimer(
				timerInput({ data: { text: 'call back' }, intervalSeconds: 30, repeatable: true }),
			);
			expect(timer).toEqual({
				id: expect.stringMatching(UUID),
				personaId: 'persona-1',
				timerName: 'reminder',
				integrationIdn: 'system',
				connectorIdn: 'timer',
				eventIdn: 'reminder_due',
				nextFireAt: T0 + 60_000,
				intervalSeconds: 30,
				repeatable: true,
				enabled: true,
				state: 'scheduled',
				fireCount: 0,
				lastFiredAt: null,
				data: { text: 'call back' },
				leaseUntil: null,
				createdAt: T0,
				updatedAt: T0,
			});
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(timer);
		});

		it('putTimer makes a timer disabled when not enabled (keeping its next fire) and done when enabled without one', async () => {
			const disabled = await store.putTimer(timerInput({ timerName: 'a', enabled: false }));
			expect(disabled).toMatchObject({
				state: 'disabled',
				enabled: false,
				nextFireAt: T0 + 60_000,
			});
			const done = await store.putTimer(timerInput({ timerName: 'b', nextFireAt: null }));
			expect(done).toMatchObject({ state: 'done', enabled: true, nextFireAt: null });
			expect(done.data).toEqual({});
		});

		it("putTimer replaces the persona's timer of the same name with a new id and a fresh fire count", async () => {
			setNow(T0 + 60_000);
			const old = await store.putTimer(timerInput({ repeatable: true, intervalSeconds: 60 }));
			const [claim] = await store.claimDueTimers(T0 + 60_000, 10, 1000);
			await completeTimerFire(store, claim.timer.id, claim.leaseToken, {
				firedAt: T0 + 60_000,
				nextFireAt: T0 + 120_000,
			});
			const replacement = await store.putTimer(
				timerInput({ nextFireAt: T0 + 500_000, eventIdn: 'other_event' }),
			);
			expect(replacement.id).not.toBe(old.id);
			expect(replacement).toMatchObject({
				fireCount: 0,
				lastFiredAt: null,
				nextFireAt: T0 + 500_000,
				eventIdn: 'other_event',
				state: 'scheduled',
				leaseUntil: null,
			});
			await expect(store.listTimers()).resolves.toEqual([replacement]);
		});

		it('replacing a timer by name makes the old lease token stale', async () => {
			setNow(T0);
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 10, 60_000);
			const replacement = await store.putTimer(timerInput({ nextFireAt: T0 + 1000 }));
			await expect(
				completeTimerFire(store, claim.timer.id, claim.leaseToken, {
					firedAt: T0,
					nextFireAt: null,
				}),
			).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(replacement);
		});

		it('putTimers puts each timer in order, a later input replacing an earlier one of the same name', async () => {
			setNow(T0);
			const existing = await store.putTimer(timerInput({ timerName: 'b' }));
			const timers = await store.putTimers([
				timerInput({ timerName: 'a', nextFireAt: T0 + 1 }),
				timerInput({ timerName: 'b', nextFireAt: T0 + 2, data: { replaced: true } }),
				timerInput({ timerName: 'a', nextFireAt: T0 + 3, enabled: false }),
			]);
			expect(timers.map((t) => [t.timerName, t.nextFireAt, t.state])).toEqual([
				['a', T0 + 1, 'scheduled'],
				['b', T0 + 2, 'scheduled'],
				['a', T0 + 3, 'disabled'],
			]);
			expect(timers[1].id).not.toBe(existing.id);
			expect(timers[1]).toMatchObject({ data: { replaced: true }, fireCount: 0, createdAt: T0 });
			await expect(store.listTimers()).resolves.toEqual([timers[1], timers[2]]);
			await expect(store.putTimers([])).resolves.toEqual([]);
		});

		it('timer names are per persona', async () => {
			const a = await store.putTimer(timerInput({ personaId: 'p1' }));
			const b = await store.putTimer(timerInput({ personaId: 'p2' }));
			expect(a.id).not.toBe(b.id);
			await expect(store.getTimer('p1', 'reminder')).resolves.toEqual(a);
			await expect(store.getTimer('p2', 'reminder')).resolves.toEqual(b);
		});

		it('getTimer returns null for an unknown persona or name', async () => {
			await store.putTimer(timerInput());
			await expect(store.getTimer('persona-1', 'other')).resolves.toBeNull();
			await expect(store.getTimer('other', 'reminder')).resolves.toBeNull();
		});

		it('listTimers orders by next fire with unscheduled timers last, then by creation', async () => {
			setNow(T0);
			const none1 = await store.putTimer(timerInput({ timerName: 'none1', nextFireAt: null }));
			const late = await store.putTimer(timerInput({ timerName: 'late', nextFireAt: T0 + 3000 }));
			setNow(T0 + 1);
			const none2 = await store.putTimer(timerInput({ timerName: 'none2', nextFireAt: null }));
			const early = await store.putTimer(timerInput({ timerName: 'early', nextFireAt: T0 + 1000 }));
			const ids = (await store.listTimers()).map((t) => t.id);
			expect(ids).toEqual([early.id, late.id, none1.id, none2.id]);
		});

		it('listTimers ANDs its persona, connector and state filters and honours a limit', async () => {
			const match = await store.putTimer(timerInput({ personaId: 'p1', timerName: 'a' }));
			await store.putTimer(timerInput({ personaId: 'p1', timerName: 'b', enabled: false }));
			await store.putTimer(timerInput({ personaId: 'p2', timerName: 'a' }));
			await store.putTimer(timerInput({ personaId: 'p1', timerName: 'c', connectorIdn: 'other' }));
			await expect(
				store.listTimers({ personaId: 'p1', connectorIdn: 'timer', state: 'scheduled' }),
			).resolves.toEqual([match]);
			await expect(store.listTimers({ personaId: 'p1' })).resolves.toHaveLength(3);
			await expect(store.listTimers({ limit: 2 })).resolves.toHaveLength(2);
			await expect(store.listTimers({ state: 'cancelled' })).resolves.toEqual([]);
			await expect(store.listTimers({ limit: 0 })).rejects.toThrow(RangeError);
		});

		it('listTimers returns at most 100 timers by default', async () => {
			for (let i = 0; i < 102; i++) await store.putTimer(timerInput({ timerName: `t${i}` }));
			await expect(store.listTimers()).resolves.toHaveLength(100);
			await expect(store.listTimers({ limit: 200 })).resolves.toHaveLength(102);
		});

		it('setTimerEnabled(false) disables the timer and keeps its next fire', async () => {
			await store.putTimer(timerInput());
			const disabled = await store.setTimerEnabled('persona-1', 'reminder', false);
			expect(disabled).toMatchObject({
				enabled: false,
				state: 'disabled',
				nextFireAt: T0 + 60_000,
			});
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(disabled);
		});

		it('setTimerEnabled(true) schedules at the stored next fire, or at the one given', async () => {
			await store.putTimer(timerInput({ enabled: false }));
			await expect(store.setTimerEnabled('persona-1', 'reminder', true)).resolves.toMatchObject({
				enabled: true,
				state: 'scheduled',
				nextFireAt: T0 + 60_000,
			});
			await store.setTimerEnabled('persona-1', 'reminder', false);
			await expect(
				store.setTimerEnabled('persona-1', 'reminder', true, T0 + 5),
			).resolves.toMatchObject({
				state: 'scheduled',
				nextFireAt: T0 + 5,
			});
		});

		it('setTimerEnabled(true) without any next fire makes the timer done', async () => {
			await store.putTimer(timerInput({ enabled: false, nextFireAt: null }));
			await expect(store.setTimerEnabled('persona-1', 'reminder', true)).resolves.toMatchObject({
				enabled: true,
				state: 'done',
				nextFireAt: null,
			});
			await store.putTimer(timerInput({ timerName: 'other' }));
			await expect(store.setTimerEnabled('persona-1', 'other', true, null)).resolves.toMatchObject({
				state: 'done',
			});
		});

		it('setTimerEnabled returns null for an unknown timer', async () => {
			await expect(store.setTimerEnabled('persona-1', 'missing', true)).resolves.toBeNull();
		});

		it('cancelTimer marks the timer cancelled and unschedules it; false when there is no such timer', async () => {
			await store.putTimer(timerInput());
			await expect(store.cancelTimer('persona-1', 'reminder')).resolves.toBe(true);
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toMatchObject({
				state: 'cancelled',
				nextFireAt: null,
			});
			await expect(store.cancelTimer('persona-1', 'missing')).resolves.toBe(false);
			await expect(store.nextDueAt()).resolves.toBeNull();
		});

		it('cancelling a claimed timer makes its lease token stale', async () => {
			await store.putTimer(timerInput({ nextFireAt: T0 }));
			const [claim] = await store.claimDueTimers(T0, 1, 60_000);
			await store.cancelTimer('persona-1', 'reminder');
			await expect(
				completeTimerFire(store, claim.timer.id, claim.leaseToken, {
					firedAt: T0,
					nextFireAt: T0 + 1000,
				}),
			).resolves.toBeNull();
			await expect(store.getTimer('persona-1', 'reminder')).resolves.toMatchObject({
				state: 'cancelled',
				fireCount: 0,
				leaseUntil: null,
			});
		});
	});
}
