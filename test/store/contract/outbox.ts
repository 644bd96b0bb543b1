import { freshStoreForEachTest, UUID, T0, eventInput, setNow, type StoreFactory } from './fixtures';

export function describeOutboxContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): outbox: events and consumers`, () => {
		const store = freshStoreForEachTest(factory);
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

		it('readEvents with after reads on past events taken but not acknowledged, never behind the position', async () => {
			const events = [];
			for (let i = 0; i < 5; i++)
				events.push(await store.publishEvent({ ...eventInput, payload: { i } }));
			await store.ackEvents('c', events[1].seq);
			await expect(store.readEvents('c', { after: events[2].seq })).resolves.toEqual(
				events.slice(3),
			);
			await expect(store.readEvents('c', { after: events[0].seq })).resolves.toEqual(
				events.slice(2),
			);
			await expect(store.readEvents('c', { after: events[4].seq })).resolves.toEqual([]);
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
				Array.from({ length: 20 }, (_, i) => store.publishEvent({ ...eventInput, payload: { i } })),
			);
			const seqs = events.map((e) => e.seq).sort((a, b) => a - b);
			expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => seqs[0] + i));
		});
	});
}
