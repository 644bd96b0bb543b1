import type { UpsertSessionInput } from '../../../nodes/shared/store';

import { freshStoreForEachTest, UUID, T0, sessionKey, setNow, type StoreFactory } from './fixtures';

export function describeSessionsContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): sessions`, () => {
		const store = freshStoreForEachTest(factory);
		it('upsertSession creates an active session at version 1 with the given fields and empty flags', async () => {
			setNow(T0);
			const session = await store.upsertSession({
				...sessionKey,
				personaId: 'p1',
				timeoutSeconds: 600,
				metadata: { from: '+1555' },
				state: { step: 1 },
			});
			expect(session).toEqual({
				id: expect.stringMatching(UUID),
				...sessionKey,
				personaId: 'p1',
				status: 'active',
				timeoutSeconds: 600,
				metadata: { from: '+1555' },
				state: { step: 1 },
				flags: {},
				version: 1,
				createdAt: T0,
				updatedAt: T0,
			});
		});

		it('upsertSession defaults persona and timeout to null and metadata and state to empty', async () => {
			const session = await store.upsertSession(sessionKey);
			expect(session).toMatchObject({
				personaId: null,
				timeoutSeconds: null,
				metadata: {},
				state: {},
				flags: {},
			});
		});

		it('upsertSession on an existing key merges metadata and state key by key and bumps the version', async () => {
			setNow(T0);
			const first = await store.upsertSession({
				...sessionKey,
				metadata: { a: 1, b: { x: 1 } },
				state: { s: 'one' },
			});
			setNow(T0 + 5);
			const second = await store.upsertSession({
				...sessionKey,
				metadata: { b: { y: 2 }, c: null },
				state: { t: [1, 2] },
			});
			expect(second.id).toBe(first.id);
			expect(second.metadata).toEqual({ a: 1, b: { y: 2 }, c: null });
			expect(second.state).toEqual({ s: 'one', t: [1, 2] });
			expect(second.version).toBe(2);
			expect(second.createdAt).toBe(T0);
			expect(second.updatedAt).toBe(T0 + 5);
		});

		it('upsertSession keeps persona and timeout when omitted and replaces them when given, null included', async () => {
			await store.upsertSession({ ...sessionKey, personaId: 'p1', timeoutSeconds: 60 });
			const kept = await store.upsertSession(sessionKey);
			expect(kept).toMatchObject({ personaId: 'p1', timeoutSeconds: 60 });
			const replaced = await store.upsertSession({
				...sessionKey,
				personaId: null,
				timeoutSeconds: null,
			});
			expect(replaced).toMatchObject({ personaId: null, timeoutSeconds: null });
		});

		it('upsertSession leaves an ended session ended unless reopen is set', async () => {
			const created = await store.upsertSession(sessionKey);
			await store.updateSession(created.id, { status: 'ended' });
			await expect(store.upsertSession(sessionKey)).resolves.toMatchObject({ status: 'ended' });
			await expect(store.upsertSession({ ...sessionKey, reopen: true })).resolves.toMatchObject({
				id: created.id,
				status: 'active',
			});
		});

		it('upsertSession keeps the flags set on the session', async () => {
			const created = await store.upsertSession(sessionKey);
			await store.compareAndSetSessionFlag(created.id, 'botInProgress', false, true);
			await expect(store.upsertSession(sessionKey)).resolves.toMatchObject({
				flags: { botInProgress: true },
			});
		});

		it('a session is identified by channel, integration, connector and external key together', async () => {
			const keys: UpsertSessionInput[] = [
				sessionKey,
				{ ...sessionKey, channel: 'call' },
				{ ...sessionKey, integrationIdn: 'other' },
				{ ...sessionKey, connectorIdn: 'other' },
				{ ...sessionKey, externalKey: 'other' },
			];
			const sessions = await Promise.all(keys.map((key) => store.upsertSession(key)));
			expect(new Set(sessions.map((s) => s.id)).size).toBe(5);
			expect(sessions.every((s) => s.version === 1)).toBe(true);
		});

		it('getSession and findSession return the stored session, or null when unknown', async () => {
			const created = await store.upsertSession({ ...sessionKey, metadata: { a: 1 } });
			await expect(store.getSession(created.id)).resolves.toEqual(created);
			await expect(store.findSession(sessionKey)).resolves.toEqual(created);
			await expect(store.getSession('missing')).resolves.toBeNull();
			await expect(
				store.findSession({ ...sessionKey, externalKey: 'missing' }),
			).resolves.toBeNull();
		});

		it('updateSession patches status, persona and timeout, merges metadata and state, and bumps the version', async () => {
			setNow(T0);
			const created = await store.upsertSession({
				...sessionKey,
				personaId: 'p1',
				metadata: { a: 1 },
				state: { x: 1 },
			});
			setNow(T0 + 10);
			const updated = await store.updateSession(created.id, {
				status: 'ended',
				personaId: 'p2',
				timeoutSeconds: 30,
				metadata: { b: 2 },
				state: { x: 2 },
			});
			expect(updated).toEqual({
				...created,
				status: 'ended',
				personaId: 'p2',
				timeoutSeconds: 30,
				metadata: { a: 1, b: 2 },
				state: { x: 2 },
				version: 2,
				updatedAt: T0 + 10,
			});
			await expect(store.getSession(created.id)).resolves.toEqual(updated);
		});

		it('updateSession with an empty patch changes nothing but the version', async () => {
			const created = await store.upsertSession({
				...sessionKey,
				personaId: 'p1',
				timeoutSeconds: 5,
			});
			const updated = await store.updateSession(created.id, {});
			expect(updated).toMatchObject({
				personaId: 'p1',
				timeoutSeconds: 5,
				status: 'active',
				version: 2,
			});
		});

		it('updateSession rejects with an error naming the id of a missing session', async () => {
			await expect(store.updateSession('no-such-session', { status: 'ended' })).rejects.toThrow(
				'no-such-session',
			);
		});

		it('compareAndSetSessionFlag treats an absent flag as false and sets only on a match', async () => {
			const { id } = await store.upsertSession(sessionKey);
			await expect(store.compareAndSetSessionFlag(id, 'botInProgress', true, false)).resolves.toBe(
				false,
			);
			await expect(store.compareAndSetSessionFlag(id, 'botInProgress', false, true)).resolves.toBe(
				true,
			);
			await expect(store.compareAndSetSessionFlag(id, 'botInProgress', false, true)).resolves.toBe(
				false,
			);
			await expect(store.getSession(id)).resolves.toMatchObject({
				flags: { botInProgress: true },
				version: 2,
			});
			await expect(store.compareAndSetSessionFlag(id, 'botInProgress', true, false)).resolves.toBe(
				true,
			);
			await expect(store.getSession(id)).resolves.toMatchObject({
				flags: { botInProgress: false },
				version: 3,
			});
		});

		it('compareAndSetSessionFlag keeps other flags', async () => {
			const { id } = await store.upsertSession(sessionKey);
			await store.compareAndSetSessionFlag(id, 'a', false, true);
			await store.compareAndSetSessionFlag(id, 'b', false, true);
			await expect(store.getSession(id)).resolves.toMatchObject({ flags: { a: true, b: true } });
		});

		it('compareAndSetSessionFlag rejects with an error naming the id of a missing session', async () => {
			await expect(
				store.compareAndSetSessionFlag('no-such-session', 'f', false, true),
			).rejects.toThrow('no-such-session');
		});

		it('of concurrent compareAndSetSessionFlag(false → true) calls exactly one wins', async () => {
			const { id } = await store.upsertSession(sessionKey);
			const results = await Promise.all(
				Array.from({ length: 10 }, () =>
					store.compareAndSetSessionFlag(id, 'botInProgress', false, true),
				),
			);
			expect(results.filter(Boolean)).toHaveLength(1);
		});

		it('changing a returned or passed-in object does not change the stored session', async () => {
			const metadata = { nested: { a: 1 } };
			const created = await store.upsertSession({ ...sessionKey, metadata });
			metadata.nested.a = 2;
			created.metadata.extra = true;
			created.flags.x = true;
			await expect(store.getSession(created.id)).resolves.toMatchObject({
				metadata: { nested: { a: 1 } },
				flags: {},
			});
		});
	});
}
