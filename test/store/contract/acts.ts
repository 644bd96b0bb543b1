import {
	updateAct,
	createAct,
	freshStoreForEachTest,
	UUID,
	T0,
	actInput,
	eventInput,
	setNow,
	type StoreFactory,
} from './fixtures';
import { getAct } from '../reads';

export function describeActsContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): acts`, () => {
		const store = freshStoreForEachTest(factory);
		it('createAct assigns a uuid and defaults status, result, persona and external id', async () => {
			setNow(T0);
			const act = await createAct(store, actInput);
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
			await expect(getAct(store, act.id)).resolves.toEqual(act);
		});

		it('createAct keeps the given status, result, persona and external id', async () => {
			const act = await createAct(store, {
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
			const act = await createAct(store, { ...actInput, result: { a: 1 }, externalId: 'CA1' });
			setNow(T0 + 7);
			const completed = await updateAct(store, act.id, { status: 'completed' });
			expect(completed).toEqual({ ...act, status: 'completed', updatedAt: T0 + 7 });
			const cleared = await updateAct(store, act.id, { result: null, externalId: null });
			expect(cleared).toMatchObject({ status: 'completed', result: null, externalId: null });
			await expect(getAct(store, act.id)).resolves.toEqual(cleared);
		});

		it('updateAct rejects with an error naming the id of a missing act', async () => {
			await expect(updateAct(store, 'no-such-act', { status: 'failed' })).rejects.toThrow(
				'no-such-act',
			);
		});

		it('settleAct applies the patch and appends the event together, once: a second settle of the same status finds nothing', async () => {
			const act = await createAct(store, {
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
			await expect(getAct(store, act.id)).resolves.toEqual(settled?.act);

			const again = await store.settleAct(
				act.id,
				'sent',
				{ status: 'failed', result: 'interrupted' },
				{ ...resultEvent, type: 'result_error' },
			);
			expect(again).toBeNull();
			await expect(getAct(store, act.id)).resolves.toEqual(settled?.act);
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
			const act = await createAct(store, { ...actInput, status: 'sent' });
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
			await expect(getAct(store, acts[0].id)).resolves.toMatchObject({
				status: 'completed',
				externalId: 'SM1',
				result: null,
			});
			await expect(store.createActs([])).resolves.toEqual([]);
			await expect(store.updateActs([])).resolves.toEqual([]);
		});

		it('updateActs with one missing act rejects naming it and changes none', async () => {
			const act = await createAct(store, actInput);
			await expect(
				store.updateActs([
					{ id: act.id, patch: { status: 'completed' } },
					{ id: 'no-such-act', patch: { status: 'failed' } },
				]),
			).rejects.toThrow('no-such-act');
			await expect(getAct(store, act.id)).resolves.toMatchObject({ status: 'pending' });
		});

		it('getAct returns null for an unknown id', async () => {
			await expect(getAct(store, 'missing')).resolves.toBeNull();
		});

		it('listActs returns newest first, also among acts created in the same millisecond', async () => {
			setNow(T0);
			const a = await createAct(store, actInput);
			const b = await createAct(store, actInput);
			setNow(T0 - 1000);
			const older = await createAct(store, actInput);
			setNow(T0 + 1000);
			const newest = await createAct(store, actInput);
			const ids = (await store.listActs()).map((act) => act.id);
			expect(ids).toEqual([newest.id, b.id, a.id, older.id]);
		});

		it('listActs with ids returns only those acts, newest first, leaving out unknown ids', async () => {
			const [a, , c] = await store.createActs([actInput, actInput, actInput]);
			const found = await store.listActs({ ids: [a.id, c.id, 'unknown'] });
			expect(found.map((act) => act.id)).toEqual([c.id, a.id]);
			await expect(store.listActs({ ids: [] })).resolves.toEqual([]);
			await expect(store.listActs({ ids: [a.id], status: 'sent' })).resolves.toEqual([]);
		});

		it('listActs ANDs its filters', async () => {
			const match = await createAct(store, { ...actInput, personaId: 'p1', status: 'sent' });
			await createAct(store, { ...actInput, personaId: 'p1', status: 'failed' });
			await createAct(store, { ...actInput, personaId: 'p2', status: 'sent' });
			await createAct(store, {
				...actInput,
				commandIdn: 'make_call',
				personaId: 'p1',
				status: 'sent',
			});
			await createAct(store, {
				...actInput,
				connectorIdn: 'voice',
				personaId: 'p1',
				status: 'sent',
			});
			await createAct(store, {
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
			for (let i = 0; i < 105; i++) await createAct(store, actInput);
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
}
