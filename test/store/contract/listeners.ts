import { freshStoreForEachTest, T0, type StoreFactory } from './fixtures';

const TTL = 180_000;
const DAY = 24 * 3600_000;

const callTrigger = {
	id: 'wf-1:node-1',
	kind: 'callTrigger',
	connectorIdn: 'newo_voice_connector',
	ttlMs: TTL,
};

export function describeListenersContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): connector listeners`, () => {
		const store = freshStoreForEachTest(factory);

		it('registerListener records the trigger on its connector with its URL until now + ttlMs', async () => {
			const registered = await store.registerListener(
				{ ...callTrigger, webhookUrl: 'https://n8n.example.com/webhook/call' },
				T0,
			);
			const expected = {
				id: 'wf-1:node-1',
				kind: 'callTrigger',
				connectorIdn: 'newo_voice_connector',
				webhookUrl: 'https://n8n.example.com/webhook/call',
				expiresAt: T0 + TTL,
				createdAt: T0,
				updatedAt: T0,
			};
			expect(registered).toEqual(expected);
			await expect(
				store.listListeners({ kind: 'callTrigger', connectorIdn: 'newo_voice_connector' }, T0 + 1),
			).resolves.toEqual([expected]);
		});

		it('a trigger without a webhook is registered with no URL', async () => {
			await store.registerListener(
				{ id: 't', kind: 'timerTrigger', connectorIdn: 'fire_timer', ttlMs: TTL },
				T0,
			);
			await expect(store.listListeners({ connectorIdn: 'fire_timer' }, T0)).resolves.toMatchObject([
				{ id: 't', webhookUrl: null },
			]);
		});

		it('a registration stops counting at its expiry, and renewing it extends it keeping its URL and first registration', async () => {
			await store.registerListener({ ...callTrigger, webhookUrl: 'https://a.example/call' }, T0);
			await expect(store.listListeners({}, T0 + TTL - 1)).resolves.toHaveLength(1);
			await expect(store.listListeners({}, T0 + TTL)).resolves.toEqual([]);
			const renewed = await store.registerListener(callTrigger, T0 + TTL + 5);
			expect(renewed).toEqual({
				...callTrigger,
				ttlMs: undefined,
				webhookUrl: 'https://a.example/call',
				expiresAt: T0 + TTL + 5 + TTL,
				createdAt: T0,
				updatedAt: T0 + TTL + 5,
			});
			await expect(store.listListeners({}, T0 + TTL + 10)).resolves.toHaveLength(1);
		});

		it('registering again with a URL or another connector replaces them', async () => {
			await store.registerListener({ ...callTrigger, webhookUrl: 'https://a.example/call' }, T0);
			await store.registerListener(
				{ ...callTrigger, connectorIdn: 'other', webhookUrl: 'https://b.example/call' },
				T0 + 1,
			);
			await expect(
				store.listListeners({ connectorIdn: 'newo_voice_connector' }, T0 + 2),
			).resolves.toEqual([]);
			await expect(store.listListeners({ connectorIdn: 'other' }, T0 + 2)).resolves.toMatchObject([
				{ id: callTrigger.id, webhookUrl: 'https://b.example/call', createdAt: T0 },
			]);
		});

		it('listListeners filters by kind and connector, oldest registration first', async () => {
			await store.registerListener({ ...callTrigger, id: 'b' }, T0 + 2);
			await store.registerListener({ ...callTrigger, id: 'c' }, T0 + 1);
			await store.registerListener({ ...callTrigger, id: 'a' }, T0 + 2);
			await store.registerListener({ ...callTrigger, id: 'sms', kind: 'smsTrigger' }, T0);
			await store.registerListener({ ...callTrigger, id: 'x', connectorIdn: 'x' }, T0);
			const ids = async (filter: Parameters<typeof store.listListeners>[0]) =>
				(await store.listListeners(filter, T0 + 3)).map((listener) => listener.id);
			await expect(
				ids({ kind: 'callTrigger', connectorIdn: 'newo_voice_connector' }),
			).resolves.toEqual(['c', 'a', 'b']);
			await expect(ids({ kind: 'smsTrigger' })).resolves.toEqual(['sms']);
			await expect(ids({})).resolves.toEqual(['sms', 'x', 'c', 'a', 'b']);
		});

		it('unregisterListener removes the registration; a second call finds nothing', async () => {
			await store.registerListener(callTrigger, T0);
			await expect(store.unregisterListener(callTrigger.id)).resolves.toBe(true);
			await expect(store.listListeners({}, T0)).resolves.toEqual([]);
			await expect(store.unregisterListener(callTrigger.id)).resolves.toBe(false);
		});

		it('registrations expired for a day are forgotten when another registers; a renewal then starts afresh', async () => {
			await store.registerListener({ ...callTrigger, webhookUrl: 'https://a.example/call' }, T0);
			await store.registerListener({ ...callTrigger, id: 'other' }, T0 + TTL + DAY);
			const back = await store.registerListener(callTrigger, T0 + TTL + DAY + 1);
			expect(back).toMatchObject({ webhookUrl: null, createdAt: T0 + TTL + DAY + 1 });
		});

		it('registerListener rejects a ttlMs that is not a positive number, storing nothing', async () => {
			await expect(store.registerListener({ ...callTrigger, ttlMs: 0 }, T0)).rejects.toThrow(
				RangeError,
			);
			await expect(store.listListeners({}, T0)).resolves.toEqual([]);
		});
	});
}
