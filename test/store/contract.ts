/**
 * The behaviour every SessionStore backend must show. Each backend's test
 * file calls describeStoreContract with a factory for a fresh, empty store.
 */

import type { PutTimerInput, SessionStore, UpsertSessionInput } from '../../nodes/shared/store';

export type StoreFactory = () => SessionStore | Promise<SessionStore>;

/** Ids are UUID version 7: time-ordered, so they index cheaply. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = 1_700_000_000_000;

const actorKey = { integrationIdn: 'twilio', connectorIdn: 'sms', externalId: '+15550001' };
const sessionKey = {
	channel: 'sms',
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	externalKey: '+15550001|+15559999',
};
const actInput = {
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	commandIdn: 'send_message',
	arguments: { text: 'hi' },
};
const eventInput = {
	type: 'user_message',
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	payload: { text: 'hi' },
};
const timerEvent = {
	type: 'timer_fired',
	integrationIdn: 'system',
	connectorIdn: 'timer',
	payload: { timerName: 'reminder', fireCount: 1 },
};

function timerInput(overrides: Partial<PutTimerInput> = {}): PutTimerInput {
	return {
		personaId: 'persona-1',
		timerName: 'reminder',
		integrationIdn: 'system',
		connectorIdn: 'timer',
		eventIdn: 'reminder_due',
		nextFireAt: T0 + 60_000,
		intervalSeconds: null,
		repeatable: false,
		enabled: true,
		...overrides,
	};
}

/** Pins Date.now() so timestamps and "due" checks are predictable. */
function setNow(now: number): void {
	jest.spyOn(Date, 'now').mockReturnValue(now);
}

export function describeStoreContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract)`, () => {
		let store: SessionStore;

		beforeEach(async () => {
			store = await factory();
		});

		afterEach(async () => {
			jest.restoreAllMocks();
			await store.close();
		});

		describe('actors and personas', () => {
			it('upsertActor creates an actor and a new persona for an unknown key', async () => {
				setNow(T0);
				const result = await store.upsertActor({ ...actorKey, personaName: 'Ada' });
				expect(result.actorCreated).toBe(true);
				expect(result.personaCreated).toBe(true);
				expect(result.persona).toEqual({
					id: expect.stringMatching(UUID),
					name: 'Ada',
					metadata: {},
					createdAt: T0,
					updatedAt: T0,
				});
				expect(result.actor).toEqual({
					id: expect.stringMatching(UUID),
					personaId: result.persona.id,
					...actorKey,
					createdAt: T0,
					updatedAt: T0,
				});
				await expect(store.getActor(actorKey)).resolves.toEqual(result.actor);
				await expect(store.getPersona(result.persona.id)).resolves.toEqual(result.persona);
			});

			it('upsertActor returns the existing actor and persona for a known key and creates nothing', async () => {
				const first = await store.upsertActor({ ...actorKey, personaName: 'Ada' });
				const second = await store.upsertActor({
					...actorKey,
					personaId: 'other',
					personaName: 'Bob',
				});
				expect(second).toEqual({
					actor: first.actor,
					persona: first.persona,
					actorCreated: false,
					personaCreated: false,
				});
				await expect(store.getPersona('other')).resolves.toBeNull();
			});

			it('upsertActor attaches a new actor to the existing persona named by personaId', async () => {
				const first = await store.upsertActor(actorKey);
				const second = await store.upsertActor({
					...actorKey,
					connectorIdn: 'voice',
					personaId: first.persona.id,
				});
				expect(second.actorCreated).toBe(true);
				expect(second.personaCreated).toBe(false);
				expect(second.persona).toEqual(first.persona);
				expect(second.actor.personaId).toBe(first.persona.id);
				expect(second.actor.id).not.toBe(first.actor.id);
			});

			it('upsertActor creates the persona with the given id when personaId names no persona yet', async () => {
				const result = await store.upsertActor({
					...actorKey,
					personaId: 'crm-42',
					personaName: 'Ada',
				});
				expect(result.personaCreated).toBe(true);
				expect(result.persona).toMatchObject({ id: 'crm-42', name: 'Ada', metadata: {} });
				expect(result.actor.personaId).toBe('crm-42');
				await expect(store.getPersona('crm-42')).resolves.toEqual(result.persona);
			});

			it('a persona created without personaName has a null name', async () => {
				const result = await store.upsertActor(actorKey);
				expect(result.persona.name).toBeNull();
			});

			it('an actor is identified by integration, connector and external id together', async () => {
				const base = await store.upsertActor(actorKey);
				const others = await Promise.all([
					store.upsertActor({ ...actorKey, integrationIdn: 'other' }),
					store.upsertActor({ ...actorKey, connectorIdn: 'other' }),
					store.upsertActor({ ...actorKey, externalId: 'other' }),
				]);
				const ids = new Set([base, ...others].map((r) => r.actor.id));
				expect(ids.size).toBe(4);
				expect(others.every((r) => r.actorCreated && r.personaCreated)).toBe(true);
			});

			it('getActor and getPersona return null for unknown keys and ids', async () => {
				await expect(store.getActor(actorKey)).resolves.toBeNull();
				await expect(store.getPersona('nobody')).resolves.toBeNull();
			});

			it('concurrent upserts of one key create exactly one actor and one persona', async () => {
				const results = await Promise.all(
					Array.from({ length: 10 }, () => store.upsertActor(actorKey)),
				);
				expect(new Set(results.map((r) => r.actor.id)).size).toBe(1);
				expect(new Set(results.map((r) => r.persona.id)).size).toBe(1);
				expect(results.filter((r) => r.actorCreated)).toHaveLength(1);
				expect(results.filter((r) => r.personaCreated)).toHaveLength(1);
			});
		});

		describe('sessions', () => {
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
				await expect(
					store.compareAndSetSessionFlag(id, 'botInProgress', true, false),
				).resolves.toBe(false);
				await expect(
					store.compareAndSetSessionFlag(id, 'botInProgress', false, true),
				).resolves.toBe(true);
				await expect(
					store.compareAndSetSessionFlag(id, 'botInProgress', false, true),
				).resolves.toBe(false);
				await expect(store.getSession(id)).resolves.toMatchObject({
					flags: { botInProgress: true },
					version: 2,
				});
				await expect(
					store.compareAndSetSessionFlag(id, 'botInProgress', true, false),
				).resolves.toBe(true);
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

		describe('acts', () => {
			it('createAct assigns a uuid and defaults status, result, persona and external id', async () => {
				setNow(T0);
				const act = await store.createAct(actInput);
				expect(act).toEqual({
					id: expect.stringMatching(UUID),
					...actInput,
					personaId: null,
					status: 'pending',
					result: null,
					externalId: null,
					createdAt: T0,
					updatedAt: T0,
				});
				await expect(store.getAct(act.id)).resolves.toEqual(act);
			});

			it('createAct keeps the given status, result, persona and external id', async () => {
				const act = await store.createAct({
					...actInput,
					personaId: 'p1',
					status: 'sent',
					result: ['ok', 1, { deep: true }],
					externalId: 'SM123',
				});
				expect(act).toMatchObject({
					personaId: 'p1',
					status: 'sent',
					result: ['ok', 1, { deep: true }],
					externalId: 'SM123',
				});
			});

			it('updateAct changes only the given fields and stores explicit nulls', async () => {
				setNow(T0);
				const act = await store.createAct({ ...actInput, result: { a: 1 }, externalId: 'CA1' });
				setNow(T0 + 7);
				const completed = await store.updateAct(act.id, { status: 'completed' });
				expect(completed).toEqual({ ...act, status: 'completed', updatedAt: T0 + 7 });
				const cleared = await store.updateAct(act.id, { result: null, externalId: null });
				expect(cleared).toMatchObject({ status: 'completed', result: null, externalId: null });
				await expect(store.getAct(act.id)).resolves.toEqual(cleared);
			});

			it('updateAct rejects with an error naming the id of a missing act', async () => {
				await expect(store.updateAct('no-such-act', { status: 'failed' })).rejects.toThrow(
					'no-such-act',
				);
			});

			it('settleAct applies the patch and appends the event together, once: a second settle of the same status finds nothing', async () => {
				const act = await store.createAct({
					...actInput,
					status: 'sent',
					result: { deadlineAt: 1 },
				});
				const resultEvent = {
					type: 'result_success',
					integrationIdn: 'http',
					connectorIdn: 'api',
					payload: { commandActId: act.id },
				};
				const settled = await store.settleAct(
					act.id,
					'sent',
					{ status: 'completed', result: { statusCode: 200 } },
					resultEvent,
				);
				expect(settled?.act).toMatchObject({
					id: act.id,
					status: 'completed',
					result: { statusCode: 200 },
				});
				expect(settled?.event).toMatchObject({
					type: 'result_success',
					payload: { commandActId: act.id },
				});
				await expect(store.getAct(act.id)).resolves.toEqual(settled?.act);

				const again = await store.settleAct(
					act.id,
					'sent',
					{ status: 'failed', result: 'interrupted' },
					{ ...resultEvent, type: 'result_error' },
				);
				expect(again).toBeNull();
				await expect(store.getAct(act.id)).resolves.toEqual(settled?.act);
				const events = await store.readEvents('settle-reader');
				expect(events.map((event) => event.type)).toEqual(['result_success']);
			});

			it('settleAct rejects for a missing act and appends nothing', async () => {
				await expect(
					store.settleAct('no-such-act', 'sent', { status: 'failed' }, eventInput),
				).rejects.toThrow('no-such-act');
				await expect(store.readEvents('settle-missing')).resolves.toEqual([]);
			});

			it('of racing settleAct calls for one act exactly one wins', async () => {
				const act = await store.createAct({ ...actInput, status: 'sent' });
				const outcomes = await Promise.all(
					[1, 2, 3, 4].map((n) =>
						store.settleAct(act.id, 'sent', { status: 'completed', result: n }, eventInput),
					),
				);
				expect(outcomes.filter((outcome) => outcome !== null)).toHaveLength(1);
				await expect(store.readEvents('settle-race')).resolves.toHaveLength(1);
			});

			it('createActs records every act in order and updateActs patches them in one step', async () => {
				const acts = await store.createActs([
					actInput,
					{ ...actInput, commandIdn: 'second', personaId: 'p2' },
				]);
				expect(acts.map((act) => [act.commandIdn, act.status, act.personaId])).toEqual([
					['send_message', 'pending', null],
					['second', 'pending', 'p2'],
				]);
				const updated = await store.updateActs([
					{ id: acts[1].id, patch: { status: 'failed', result: { error: 'x' } } },
					{ id: acts[0].id, patch: { status: 'completed', externalId: 'SM1' } },
				]);
				expect(updated.map((act) => [act.id, act.status])).toEqual([
					[acts[1].id, 'failed'],
					[acts[0].id, 'completed'],
				]);
				await expect(store.getAct(acts[0].id)).resolves.toMatchObject({
					status: 'completed',
					externalId: 'SM1',
					result: null,
				});
				await expect(store.createActs([])).resolves.toEqual([]);
				await expect(store.updateActs([])).resolves.toEqual([]);
			});

			it('updateActs with one missing act rejects naming it and changes none', async () => {
				const act = await store.createAct(actInput);
				await expect(
					store.updateActs([
						{ id: act.id, patch: { status: 'completed' } },
						{ id: 'no-such-act', patch: { status: 'failed' } },
					]),
				).rejects.toThrow('no-such-act');
				await expect(store.getAct(act.id)).resolves.toMatchObject({ status: 'pending' });
			});

			it('getAct returns null for an unknown id', async () => {
				await expect(store.getAct('missing')).resolves.toBeNull();
			});

			it('listActs returns newest first, also among acts created in the same millisecond', async () => {
				setNow(T0);
				const a = await store.createAct(actInput);
				const b = await store.createAct(actInput);
				setNow(T0 - 1000);
				const older = await store.createAct(actInput);
				setNow(T0 + 1000);
				const newest = await store.createAct(actInput);
				const ids = (await store.listActs()).map((act) => act.id);
				expect(ids).toEqual([newest.id, b.id, a.id, older.id]);
			});

			it('listActs ANDs its filters', async () => {
				const match = await store.createAct({ ...actInput, personaId: 'p1', status: 'sent' });
				await store.createAct({ ...actInput, personaId: 'p1', status: 'failed' });
				await store.createAct({ ...actInput, personaId: 'p2', status: 'sent' });
				await store.createAct({
					...actInput,
					commandIdn: 'make_call',
					personaId: 'p1',
					status: 'sent',
				});
				await store.createAct({
					...actInput,
					connectorIdn: 'voice',
					personaId: 'p1',
					status: 'sent',
				});
				await store.createAct({
					...actInput,
					integrationIdn: 'other',
					personaId: 'p1',
					status: 'sent',
				});
				const found = await store.listActs({
					integrationIdn: 'twilio',
					connectorIdn: 'sms',
					commandIdn: 'send_message',
					personaId: 'p1',
					status: 'sent',
				});
				expect(found).toEqual([match]);
				await expect(store.listActs({ personaId: 'p1' })).resolves.toHaveLength(5);
				await expect(store.listActs({ status: 'pending' })).resolves.toEqual([]);
			});

			it('listActs returns at most 100 acts by default and honours an explicit limit', async () => {
				for (let i = 0; i < 105; i++) await store.createAct(actInput);
				await expect(store.listActs()).resolves.toHaveLength(100);
				await expect(store.listActs({ limit: 3 })).resolves.toHaveLength(3);
				await expect(store.listActs({ limit: 500 })).resolves.toHaveLength(105);
			});

			it('listActs rejects a limit that is not a positive integer', async () => {
				await expect(store.listActs({ limit: 0 })).rejects.toThrow(RangeError);
				await expect(store.listActs({ limit: -1 })).rejects.toThrow(RangeError);
				await expect(store.listActs({ limit: 1.5 })).rejects.toThrow(RangeError);
			});
		});

		describe('timers', () => {
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
				await store.completeTimerFire(claim.timer.id, claim.leaseToken, {
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
					store.completeTimerFire(claim.timer.id, claim.leaseToken, {
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
				const early = await store.putTimer(
					timerInput({ timerName: 'early', nextFireAt: T0 + 1000 }),
				);
				const ids = (await store.listTimers()).map((t) => t.id);
				expect(ids).toEqual([early.id, late.id, none1.id, none2.id]);
			});

			it('listTimers ANDs its persona, connector and state filters and honours a limit', async () => {
				const match = await store.putTimer(timerInput({ personaId: 'p1', timerName: 'a' }));
				await store.putTimer(timerInput({ personaId: 'p1', timerName: 'b', enabled: false }));
				await store.putTimer(timerInput({ personaId: 'p2', timerName: 'a' }));
				await store.putTimer(
					timerInput({ personaId: 'p1', timerName: 'c', connectorIdn: 'other' }),
				);
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
				await expect(
					store.setTimerEnabled('persona-1', 'other', true, null),
				).resolves.toMatchObject({ state: 'done' });
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
					store.completeTimerFire(claim.timer.id, claim.leaseToken, {
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
					store.completeTimerFire(first.timer.id, first.leaseToken, {
						firedAt: T0,
						nextFireAt: null,
					}),
				).resolves.toBeNull();
				await expect(
					store.completeTimerFire(second.timer.id, second.leaseToken, {
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
				const fired = await store.completeTimerFire(claim.timer.id, claim.leaseToken, {
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
					store.completeTimerFire(claim.timer.id, claim.leaseToken, {
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
					store.completeTimerFire(claim.timer.id, 'not-the-token', {
						firedAt: T0,
						nextFireAt: null,
					}),
				).resolves.toBeNull();
				await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(claim.timer);
				await store.completeTimerFire(claim.timer.id, claim.leaseToken, {
					firedAt: T0,
					nextFireAt: T0 + 10,
				});
				await expect(
					store.completeTimerFire(claim.timer.id, claim.leaseToken, {
						firedAt: T0,
						nextFireAt: null,
					}),
				).resolves.toBeNull();
				await expect(store.getTimer('persona-1', 'reminder')).resolves.toMatchObject({
					fireCount: 1,
					nextFireAt: T0 + 10,
				});
				await expect(
					store.completeTimerFire('no-such-timer', claim.leaseToken, {
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
					store.completeTimerFire(claim.timer.id, claim.leaseToken, {
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
				const fired = await store.fireTimer(
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
				const fired = await store.fireTimer(
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
					store.fireTimer(claim.timer.id, 'not-the-token', outcome, timerEvent),
				).resolves.toBeNull();
				await expect(
					store.fireTimer('no-such-timer', claim.leaseToken, outcome, timerEvent),
				).resolves.toBeNull();
				await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(claim.timer);
				await expect(store.readEvents('trigger')).resolves.toEqual([]);

				const fired = await store.fireTimer(claim.timer.id, claim.leaseToken, outcome, timerEvent);
				await expect(
					store.fireTimer(claim.timer.id, claim.leaseToken, outcome, timerEvent),
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
				for (const claim of claims) {
					await expect(
						store.fireTimer(
							claim.timer.id,
							claim.leaseToken,
							{ firedAt: T0, nextFireAt: null },
							timerEvent,
						),
					).resolves.toBeNull();
				}
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
				const results = await Promise.all(
					Array.from({ length: 5 }, () =>
						store.fireTimer(
							claim.timer.id,
							claim.leaseToken,
							{ firedAt: T0, nextFireAt: null },
							timerEvent,
						),
					),
				);
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
		});

		describe('events', () => {
			it('publishEvent appends events with increasing seqs and uuids', async () => {
				setNow(T0);
				const first = await store.publishEvent(eventInput);
				const second = await store.publishEvent({
					...eventInput,
					type: 'timer_fired',
					payload: { n: 2 },
				});
				expect(first).toEqual({
					seq: expect.any(Number),
					id: expect.stringMatching(UUID),
					...eventInput,
					createdAt: T0,
				});
				expect(second.seq).toBe(first.seq + 1);
				expect(second.id).not.toBe(first.id);
			});

			it('readEvents of an unregistered consumer returns every stored event, oldest first', async () => {
				const published = [];
				for (let i = 0; i < 3; i++)
					published.push(await store.publishEvent({ ...eventInput, payload: { i } }));
				await expect(store.readEvents('late-trigger')).resolves.toEqual(published);
			});

			it('reading registers the consumer, so registerConsumer afterwards keeps its position', async () => {
				const event = await store.publishEvent(eventInput);
				await store.readEvents('c');
				await store.registerConsumer('c');
				await expect(store.readEvents('c')).resolves.toEqual([event]);
			});

			it('registerConsumer starts a new consumer after the newest event', async () => {
				await store.publishEvent(eventInput);
				await store.registerConsumer('c');
				await expect(store.readEvents('c')).resolves.toEqual([]);
				const later = await store.publishEvent(eventInput);
				await expect(store.readEvents('c')).resolves.toEqual([later]);
			});

			it('registerConsumer with fromSeq sees only events after that seq', async () => {
				const events = [];
				for (let i = 0; i < 4; i++)
					events.push(await store.publishEvent({ ...eventInput, payload: { i } }));
				await store.registerConsumer('c', events[1].seq);
				await expect(store.readEvents('c')).resolves.toEqual(events.slice(2));
				await store.registerConsumer('everything', 0);
				await expect(store.readEvents('everything')).resolves.toEqual(events);
			});

			it('registerConsumer does nothing for a consumer that already exists', async () => {
				const event = await store.publishEvent(eventInput);
				await store.registerConsumer('c', 0);
				await store.publishEvent(eventInput);
				await store.registerConsumer('c');
				await store.registerConsumer('c', 100);
				const read = await store.readEvents('c');
				expect(read[0]).toEqual(event);
				expect(read).toHaveLength(2);
			});

			it('readEvents returns events after the acknowledged position and ackEvents never moves it back', async () => {
				const events = [];
				for (let i = 0; i < 5; i++)
					events.push(await store.publishEvent({ ...eventInput, payload: { i } }));
				await store.registerConsumer('c', 0);
				await store.ackEvents('c', events[2].seq);
				await expect(store.readEvents('c')).resolves.toEqual(events.slice(3));
				await store.ackEvents('c', events[0].seq);
				await expect(store.readEvents('c')).resolves.toEqual(events.slice(3));
				await store.ackEvents('c', events[4].seq);
				await expect(store.readEvents('c')).resolves.toEqual([]);
			});

			it('ackEvents on an unregistered consumer registers it at that seq', async () => {
				const events = [];
				for (let i = 0; i < 3; i++)
					events.push(await store.publishEvent({ ...eventInput, payload: { i } }));
				await store.ackEvents('c', events[0].seq);
				await expect(store.readEvents('c')).resolves.toEqual(events.slice(1));
			});

			it('readEvents does not move the position: unacknowledged events are read again', async () => {
				const event = await store.publishEvent(eventInput);
				await store.registerConsumer('c', 0);
				await expect(store.readEvents('c')).resolves.toEqual([event]);
				await expect(store.readEvents('c')).resolves.toEqual([event]);
			});

			it('consumers keep independent positions', async () => {
				const a = await store.publishEvent(eventInput);
				const b = await store.publishEvent(eventInput);
				await store.ackEvents('one', a.seq);
				await expect(store.readEvents('one')).resolves.toEqual([b]);
				await expect(store.readEvents('two')).resolves.toEqual([a, b]);
			});

			it('readEvents filters by type, oldest first', async () => {
				const message = await store.publishEvent(eventInput);
				await store.publishEvent({ ...eventInput, type: 'result_success' });
				const fired = await store.publishEvent({ ...eventInput, type: 'timer_fired' });
				await expect(
					store.readEvents('c', { types: ['timer_fired', 'user_message'] }),
				).resolves.toEqual([message, fired]);
				await expect(store.readEvents('c', { types: [] })).resolves.toEqual([]);
			});

			it('readEvents returns at most 100 events by default and honours an explicit limit', async () => {
				for (let i = 0; i < 105; i++) await store.publishEvent({ ...eventInput, payload: { i } });
				const firstHundred = await store.readEvents('c');
				expect(firstHundred).toHaveLength(100);
				expect(firstHundred[0].payload).toEqual({ i: 0 });
				const two = await store.readEvents('c', { limit: 2 });
				expect(two.map((e) => e.payload)).toEqual([{ i: 0 }, { i: 1 }]);
				await store.ackEvents('c', firstHundred[99].seq);
				await expect(store.readEvents('c')).resolves.toHaveLength(5);
				await expect(store.readEvents('c', { limit: 0 })).rejects.toThrow(RangeError);
			});

			it('pruneEvents deletes events created before the given time and returns how many', async () => {
				setNow(T0);
				await store.publishEvent(eventInput);
				await store.publishEvent(eventInput);
				setNow(T0 + 1000);
				const kept = await store.publishEvent(eventInput);
				await expect(store.pruneEvents(T0 + 1000)).resolves.toBe(2);
				await expect(store.readEvents('c')).resolves.toEqual([kept]);
				await expect(store.pruneEvents(T0 + 1000)).resolves.toBe(0);
			});

			it('seqs keep increasing after pruning, and a new consumer still starts after the newest', async () => {
				setNow(T0);
				const old = await store.publishEvent(eventInput);
				await store.pruneEvents(T0 + 1);
				await store.registerConsumer('c');
				const next = await store.publishEvent(eventInput);
				expect(next.seq).toBe(old.seq + 1);
				await expect(store.readEvents('c')).resolves.toEqual([next]);
			});

			it('concurrent publishEvent calls get unique, gap-free seqs', async () => {
				const events = await Promise.all(
					Array.from({ length: 20 }, (_, i) =>
						store.publishEvent({ ...eventInput, payload: { i } }),
					),
				);
				const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
				expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => seqs[0] + i));
			});
		});

		describe('close', () => {
			it('every method rejects with a clear error after close, and closing again is harmless', async () => {
				await store.close();
				await expect(store.close()).resolves.toBeUndefined();
				const calls: Array<() => Promise<unknown>> = [
					() => store.upsertActor(actorKey),
					() => store.getActor(actorKey),
					() => store.getPersona('p'),
					() => store.upsertSession(sessionKey),
					() => store.getSession('s'),
					() => store.findSession(sessionKey),
					() => store.updateSession('s', {}),
					() => store.compareAndSetSessionFlag('s', 'f', false, true),
					() => store.createAct(actInput),
					() => store.updateAct('a', {}),
					() => store.createActs([actInput]),
					() => store.updateActs([{ id: 'a', patch: {} }]),
					() => store.settleAct('a', 'sent', {}, eventInput),
					() => store.getAct('a'),
					() => store.listActs(),
					() => store.putTimer(timerInput()),
					() => store.putTimers([timerInput()]),
					() => store.getTimer('p', 't'),
					() => store.listTimers(),
					() => store.setTimerEnabled('p', 't', true),
					() => store.cancelTimer('p', 't'),
					() => store.nextDueAt(),
					() => store.claimDueTimers(T0, 1, 1000),
					() => store.completeTimerFire('t', 'token', { firedAt: T0, nextFireAt: null }),
					() => store.fireTimer('t', 'token', { firedAt: T0, nextFireAt: null }, timerEvent),
					() => store.fireTimers([]),
					() => store.publishEvent(eventInput),
					() => store.readEvents('c'),
					() => store.ackEvents('c', 1),
					() => store.registerConsumer('c'),
					() => store.pruneEvents(T0),
				];
				for (const call of calls)
					await expect(call()).rejects.toThrow(/session store has been closed/);
			});
		});
	});
}
