import { freshStoreForEachTest, sessionKey, setNow, T0, type StoreFactory } from './fixtures';

const TTL = 30_000;

export function describeLeasesContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): session leases`, () => {
		const store = freshStoreForEachTest(factory);

		const newSession = async (externalKey = sessionKey.externalKey) =>
			(await store.upsertSession({ ...sessionKey, externalKey })).id;

		it('acquireSessionLease takes a free lease with a random token, expiring ttlMs from now', async () => {
			const id = await newSession();
			const lease = await store.acquireSessionLease(id, 'bot', TTL, T0);
			expect(lease).toEqual({ name: 'bot', token: expect.any(String), expiresAt: T0 + TTL });
			const other = await newSession('other');
			const second = await store.acquireSessionLease(other, 'bot', TTL, T0);
			expect(second?.token).not.toBe(lease?.token);
		});

		it('acquireSessionLease returns null while the lease holds, up to its last millisecond', async () => {
			const id = await newSession();
			await store.acquireSessionLease(id, 'bot', TTL, T0);
			await expect(store.acquireSessionLease(id, 'bot', TTL, T0)).resolves.toBeNull();
			await expect(store.acquireSessionLease(id, 'bot', TTL, T0 + TTL - 1)).resolves.toBeNull();
		});

		it('of concurrent acquireSessionLease calls exactly one wins', async () => {
			const id = await newSession();
			const results = await Promise.all(
				Array.from({ length: 20 }, () => store.acquireSessionLease(id, 'bot', TTL, T0)),
			);
			expect(results.filter((lease) => lease !== null)).toHaveLength(1);
		});

		it('an expired lease is taken again with a new token and expiry, from its expiry on', async () => {
			const id = await newSession();
			const first = await store.acquireSessionLease(id, 'bot', TTL, T0);
			const second = await store.acquireSessionLease(id, 'bot', 5_000, T0 + TTL);
			expect(second).toEqual({
				name: 'bot',
				token: expect.any(String),
				expiresAt: T0 + TTL + 5_000,
			});
			expect(second?.token).not.toBe(first?.token);
		});

		it('releaseSessionLease with a wrong or stale token does nothing', async () => {
			const id = await newSession();
			const stale = await store.acquireSessionLease(id, 'bot', TTL, T0);
			const current = await store.acquireSessionLease(id, 'bot', TTL, T0 + TTL);
			await expect(store.releaseSessionLease(id, 'bot', 'not-a-token')).resolves.toBe(false);
			await expect(store.releaseSessionLease(id, 'bot', stale?.token ?? '')).resolves.toBe(false);
			// The newer holder still holds it.
			await expect(store.acquireSessionLease(id, 'bot', TTL, T0 + TTL + 1)).resolves.toBeNull();
			await expect(store.releaseSessionLease(id, 'bot', current?.token ?? '')).resolves.toBe(true);
		});

		it('after releaseSessionLease the lease can be taken at once; a second release finds nothing', async () => {
			const id = await newSession();
			const lease = await store.acquireSessionLease(id, 'bot', TTL, T0);
			await expect(store.releaseSessionLease(id, 'bot', lease?.token ?? '')).resolves.toBe(true);
			await expect(store.releaseSessionLease(id, 'bot', lease?.token ?? '')).resolves.toBe(false);
			const next = await store.acquireSessionLease(id, 'bot', TTL, T0 + 1);
			expect(next).toMatchObject({ name: 'bot', expiresAt: T0 + 1 + TTL });
		});

		it('leases are per session and per name', async () => {
			const id = await newSession();
			const other = await newSession('other');
			await store.acquireSessionLease(id, 'bot', TTL, T0);
			await expect(store.acquireSessionLease(id, 'sweep', TTL, T0)).resolves.not.toBeNull();
			await expect(store.acquireSessionLease(other, 'bot', TTL, T0)).resolves.not.toBeNull();
			await expect(store.releaseSessionLease('nobody', 'bot', 'token')).resolves.toBe(false);
		});

		it('acquireSessionLease counts from Date.now() when no time is given', async () => {
			const id = await newSession();
			setNow(T0);
			await expect(store.acquireSessionLease(id, 'bot', TTL)).resolves.toMatchObject({
				expiresAt: T0 + TTL,
			});
			setNow(T0 + TTL);
			await expect(store.acquireSessionLease(id, 'bot', TTL)).resolves.not.toBeNull();
		});

		it('acquireSessionLease rejects for a missing session and for a ttlMs that is not positive', async () => {
			await expect(store.acquireSessionLease('nobody', 'bot', TTL, T0)).rejects.toThrow(/"nobody"/);
			const id = await newSession();
			for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
				await expect(store.acquireSessionLease(id, 'bot', ttl, T0)).rejects.toThrow(RangeError);
			await expect(store.acquireSessionLease(id, 'bot', TTL, T0)).resolves.not.toBeNull();
		});
	});
}
