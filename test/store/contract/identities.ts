import { freshStoreForEachTest, UUID, T0, actorKey, setNow, type StoreFactory } from './fixtures';

export function describeIdentitiesContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): identities: personas and actors`, () => {
		const store = freshStoreForEachTest(factory);
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
			// Stored as returned: upserting the key again reads both back unchanged.
			await expect(store.upsertActor(actorKey)).resolves.toEqual({
				actor: result.actor,
				persona: result.persona,
				actorCreated: false,
				personaCreated: false,
			});
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
			// No persona "other" was made: the first actor to name it creates it.
			const other = await store.upsertActor({ ...actorKey, externalId: 'x', personaId: 'other' });
			expect(other.personaCreated).toBe(true);
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
			// Stored under that id: another actor naming it attaches to it.
			const again = await store.upsertActor({ ...actorKey, externalId: 'x', personaId: 'crm-42' });
			expect(again.personaCreated).toBe(false);
			expect(again.persona).toEqual(result.persona);
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
}
