import { MemoryStore, type SessionStore, type StoredEvent } from '../../nodes/shared/store';
import { subscribeToOutbox, type OutboxSubscription } from '../../nodes/shared/triggers/outbox';

const eventInput = {
	type: 'timer_fired',
	integrationIdn: 'program_timer',
	connectorIdn: 'c1',
	payload: {},
};

/** A hand-off whose deliveries the test settles one by one. */
function heldHandOff() {
	const offered: StoredEvent[] = [];
	const settle = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
	const handOff = async (event: StoredEvent) => {
		offered.push(event);
		await new Promise<void>((resolve, reject) => settle.set(event.seq, { resolve, reject }));
	};
	const deliver = (event: StoredEvent) => settle.get(event.seq)?.resolve();
	return { offered, handOff, deliver, settle };
}

const until = async (condition: () => boolean | Promise<boolean>) => {
	for (let attempt = 0; attempt < 100 && !(await condition()); attempt++)
		await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('outbox delivery to one trigger', () => {
	let store: SessionStore;
	let subscriptions: OutboxSubscription[];
	const errors: unknown[] = [];

	beforeEach(() => {
		store = new MemoryStore();
		subscriptions = [];
		errors.length = 0;
	});

	afterEach(async () => {
		for (const subscription of subscriptions) subscription.close();
		await store.close();
	});

	const subscribe = (
		handOff: (event: StoredEvent) => Promise<void>,
		maxInFlight = 100,
		slotTimeoutMs?: number,
	) => {
		const subscription = subscribeToOutbox(
			store,
			'trigger',
			['timer_fired'],
			handOff,
			maxInFlight,
			(error) => errors.push(error),
			slotTimeoutMs,
		);
		subscriptions.push(subscription);
		return subscription;
	};

	/** The events a new subscription would take: everything after the stored position. */
	const stillUndelivered = async () =>
		(await store.readEvents('trigger', { limit: 1000 })).map((event) => event.payload.i);

	test('the stored position passes only events delivered, in order, whatever order they finish in', async () => {
		await store.registerConsumer('trigger', 0);
		const events = [];
		for (let i = 0; i < 4; i++)
			events.push(await store.publishEvent({ ...eventInput, payload: { i } }));
		const held = heldHandOff();
		await subscribe(held.handOff).drain();
		expect(held.offered.map((event) => event.payload.i)).toEqual([0, 1, 2, 3]);

		held.deliver(events[1]);
		held.deliver(events[3]);
		await new Promise((resolve) => setTimeout(resolve, 20));
		expect(await stillUndelivered()).toEqual([0, 1, 2, 3]);

		held.deliver(events[0]);
		await until(async () => (await stillUndelivered()).length === 2);
		expect(await stillUndelivered()).toEqual([2, 3]);

		held.deliver(events[2]);
		await until(async () => (await stillUndelivered()).length === 0);
		expect(errors).toEqual([]);
	});

	test('never more than maxInFlight undelivered; each delivery makes room for the next event', async () => {
		await store.registerConsumer('trigger', 0);
		for (let i = 0; i < 7; i++) await store.publishEvent({ ...eventInput, payload: { i } });
		const held = heldHandOff();
		const subscription = subscribe(held.handOff, 3);
		await subscription.drain();
		expect(held.offered).toHaveLength(3);
		expect(subscription.inFlight).toBe(3);

		held.deliver(held.offered[1]);
		await until(() => held.offered.length === 4);
		expect(subscription.inFlight).toBe(3);
		for (const event of [...held.offered]) held.deliver(event);
		await until(() => held.offered.length === 7);
		for (const event of held.offered) held.deliver(event);
		await until(() => subscription.inFlight === 0);
		expect(held.offered.map((event) => event.payload.i)).toEqual([0, 1, 2, 3, 4, 5, 6]);
	});

	test('events a closed subscription took but did not deliver go to the next one', async () => {
		await store.registerConsumer('trigger', 0);
		for (let i = 0; i < 3; i++) await store.publishEvent({ ...eventInput, payload: { i } });
		const first = heldHandOff();
		const subscription = subscribe(first.handOff);
		await subscription.drain();
		first.deliver(first.offered[0]);
		await until(async () => (await stillUndelivered()).length === 2);
		subscription.close();

		const next = heldHandOff();
		await subscribe(next.handOff).drain();
		expect(next.offered.map((event) => event.payload.i)).toEqual([1, 2]);
	});

	test('a failed hand-off is logged and offered again; the position waits for it', async () => {
		await store.registerConsumer('trigger', 0);
		await store.publishEvent({ ...eventInput, payload: { i: 0 } });
		let attempts = 0;
		await subscribe(async () => {
			attempts += 1;
			if (attempts === 1) throw new Error('n8n could not start the run');
		}).drain();
		expect(await stillUndelivered()).toEqual([0]);
		await until(() => attempts === 2);
		await until(async () => (await stillUndelivered()).length === 0);
		expect(errors).toEqual([new Error('n8n could not start the run')]);
	});

	test('a run n8n never reports done frees its slot after the slot timeout but stays undelivered', async () => {
		await store.registerConsumer('trigger', 0);
		for (let i = 0; i < 4; i++) await store.publishEvent({ ...eventInput, payload: { i } });
		const held = heldHandOff();
		const subscription = subscribe(held.handOff, 2, 100);
		await subscription.drain();
		expect(held.offered.map((event) => event.payload.i)).toEqual([0, 1]);

		// Neither run settles: after the timeout both slots are free again.
		await until(() => held.offered.length === 4);
		expect(held.offered.map((event) => event.payload.i)).toEqual([0, 1, 2, 3]);
		expect(subscription.overdue).toBe(2);
		expect(errors).toHaveLength(2);
		expect(String(errors[0])).toMatch(/no finished run for 0 s; its slot is freed/);

		// The later runs finish, the overdue ones never do: the position waits for them.
		held.deliver(held.offered[2]);
		held.deliver(held.offered[3]);
		await until(() => subscription.inFlight === 2);
		expect(await stillUndelivered()).toEqual([0, 1, 2, 3]);

		// A late settlement still counts as delivered.
		held.deliver(held.offered[0]);
		held.deliver(held.offered[1]);
		await until(async () => (await stillUndelivered()).length === 0);
		expect(subscription.overdue).toBe(0);
		expect(subscription.inFlight).toBe(0);
	});

	test('maxInFlight must be a positive whole number', () => {
		expect(() => subscribe(async () => undefined, 0)).toThrow(RangeError);
		expect(() => subscribe(async () => undefined, 1.5)).toThrow(RangeError);
	});
});
