import {
	actInput,
	actorKey,
	freshStoreForEachTest,
	sessionKey,
	setNow,
	T0,
	timerInput,
	type StoreFactory,
} from './fixtures';

const DAY = 24 * 3600 * 1000;

export function describeRetentionContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): retention`, () => {
		const store = freshStoreForEachTest(factory);

		/** One of everything, last changed at `at`, for `personaId`. */
		const recordAll = async (at: number, personaId: string, suffix: string) => {
			setNow(at);
			await store.upsertActor({ ...actorKey, externalId: `+1555${suffix}`, personaId });
			const [act] = await store.createActs([{ ...actInput, personaId, status: 'pending' }]);
			const ended = await store.upsertSession({
				...sessionKey,
				externalKey: `ended-${suffix}`,
				personaId,
			});
			await store.acquireSessionLease(ended.id, 'bot_turn', 60_000);
			await store.updateSession(ended.id, { status: 'ended' });
			const active = await store.upsertSession({
				...sessionKey,
				externalKey: `active-${suffix}`,
				personaId,
			});
			await store.putTimers([
				timerInput({ personaId, timerName: `done-${suffix}`, nextFireAt: null }),
				timerInput({ personaId, timerName: `due-${suffix}`, nextFireAt: at + DAY }),
				timerInput({ personaId, timerName: `off-${suffix}`, enabled: false }),
			]);
			await store.cancelTimer(personaId, `due-${suffix}`);
			await store.putTimer(
				timerInput({ personaId, timerName: `later-${suffix}`, nextFireAt: at + DAY }),
			);
			return { act, ended, active };
		};

		it('pruneRecords removes old acts, ended sessions with their leases and finished timers, nothing else', async () => {
			const old = await recordAll(T0, 'persona-old', '1');
			const recent = await recordAll(T0 + 10 * DAY, 'persona-new', '2');
			setNow(T0 + 11 * DAY);

			await expect(store.pruneRecords(T0 + DAY, 100)).resolves.toEqual({
				acts: 1,
				sessions: 1,
				timers: 2,
				actors: 0,
				personas: 0,
			});
			expect((await store.listActs({ limit: 100 })).map((act) => act.id)).toEqual([recent.act.id]);
			await expect(store.getSession(old.ended.id)).resolves.toBeNull();
			await expect(store.getSession(old.active.id)).resolves.not.toBeNull();
			await expect(store.getSession(recent.ended.id)).resolves.not.toBeNull();
			const timers = (await store.listTimers({ limit: 100 }))
				.map((timer) => timer.timerName)
				.sort();
			expect(timers).toEqual(['done-2', 'due-2', 'later-1', 'later-2', 'off-1', 'off-2']);
			// The removed session's lease went with it: a new session under the same key starts free.
			const again = await store.upsertSession({ ...sessionKey, externalKey: 'ended-1' });
			await expect(store.acquireSessionLease(again.id, 'bot_turn', 60_000)).resolves.not.toBeNull();
			await expect(store.pruneRecords(T0 + DAY, 100)).resolves.toEqual({
				acts: 0,
				sessions: 0,
				timers: 0,
				actors: 0,
				personas: 0,
			});
		});

		it('pruneRecords removes at most `limit` of each kind per call', async () => {
			setNow(T0);
			await store.createActs(
				Array.from({ length: 5 }, () => ({ ...actInput, status: 'pending' as const })),
			);
			setNow(T0 + 2 * DAY);
			await expect(store.pruneRecords(T0 + DAY, 2)).resolves.toMatchObject({ acts: 2 });
			await expect(store.pruneRecords(T0 + DAY, 2)).resolves.toMatchObject({ acts: 2 });
			await expect(store.pruneRecords(T0 + DAY, 2)).resolves.toMatchObject({ acts: 1 });
			await expect(store.listActs({ limit: 100 })).resolves.toEqual([]);
			await expect(store.pruneRecords(T0 + DAY, 0)).rejects.toThrow(RangeError);
		});

		it('deletePersona removes the persona and everything that names it, and only that', async () => {
			const gone = await recordAll(T0, 'persona-gone', '1');
			const kept = await recordAll(T0, 'persona-kept', '2');

			await expect(store.deletePersona('persona-gone')).resolves.toEqual({
				acts: 1,
				sessions: 2,
				timers: 4,
				actors: 1,
				personas: 1,
			});
			expect((await store.listActs({ limit: 100 })).map((act) => act.id)).toEqual([kept.act.id]);
			await expect(store.getSession(gone.ended.id)).resolves.toBeNull();
			await expect(store.getSession(gone.active.id)).resolves.toBeNull();
			await expect(store.listTimers({ personaId: 'persona-gone', limit: 100 })).resolves.toEqual(
				[],
			);
			await expect(
				store.listTimers({ personaId: 'persona-kept', limit: 100 }),
			).resolves.toHaveLength(4);
			// The phone number is free again: the same actor key makes a new persona.
			const reborn = await store.upsertActor({ ...actorKey, externalId: '+15551' });
			expect(reborn.actorCreated).toBe(true);
			expect(reborn.persona.id).not.toBe('persona-gone');
			const stays = await store.upsertActor({ ...actorKey, externalId: '+15552' });
			expect(stays).toMatchObject({ actorCreated: false, persona: { id: 'persona-kept' } });
			await expect(store.getSession(kept.active.id)).resolves.not.toBeNull();
		});

		it('deletePersona of a persona the store never saw removes nothing', async () => {
			await recordAll(T0, 'persona-kept', '2');
			await expect(store.deletePersona('nobody')).resolves.toEqual({
				acts: 0,
				sessions: 0,
				timers: 0,
				actors: 0,
				personas: 0,
			});
		});
	});
}
