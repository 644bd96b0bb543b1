/**
 * What the contract files share: the inputs they store, a pinned clock, and
 * a fresh store for every test.
 */

import type {
	Act,
	ActPatch,
	CreateActInput,
	FiredTimer,
	PublishEventInput,
	PutTimerInput,
	SessionStore,
	Timer,
	TimerFireOutcome,
} from '../../../nodes/shared/store';

export type StoreFactory = () => SessionStore | Promise<SessionStore>;

/** Ids are UUID version 7: time-ordered, so they index cheaply. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const T0 = 1_700_000_000_000;

export const actorKey = { integrationIdn: 'twilio', connectorIdn: 'sms', externalId: '+15550001' };
export const sessionKey = {
	channel: 'sms',
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	externalKey: '+15550001|+15559999',
};
export const actInput = {
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	commandIdn: 'send_message',
	arguments: { text: 'hi' },
};
export const eventInput = {
	type: 'user_message',
	integrationIdn: 'twilio',
	connectorIdn: 'sms',
	payload: { text: 'hi' },
};
export const timerEvent = {
	type: 'timer_fired',
	integrationIdn: 'system',
	connectorIdn: 'timer',
	payload: { timerName: 'reminder', fireCount: 1 },
};

export function timerInput(overrides: Partial<PutTimerInput> = {}): PutTimerInput {
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
export function setNow(now: number): void {
	jest.spyOn(Date, 'now').mockReturnValue(now);
}

/**
 * A fresh store from `factory` for every test of the calling describe block,
 * closed after it. The returned object stands for whichever store the running
 * test has, so test bodies call `store.method()` as on a plain store.
 */
export function freshStoreForEachTest(factory: StoreFactory): SessionStore {
	let current: SessionStore | undefined;

	beforeEach(async () => {
		current = await factory();
	});

	afterEach(async () => {
		jest.restoreAllMocks();
		await current?.close();
		current = undefined;
	});

	return new Proxy({} as SessionStore, {
		get(_target, property) {
			if (current === undefined) throw new Error('The store is only there while a test runs');
			const value: unknown = Reflect.get(current, property, current);
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}

// One-item forms of the batch methods, for tests that are about one record.

export async function createAct(store: SessionStore, input: CreateActInput): Promise<Act> {
	const [act] = await store.createActs([input]);
	return act;
}

export async function updateAct(store: SessionStore, id: string, patch: ActPatch): Promise<Act> {
	const [act] = await store.updateActs([{ id, patch }]);
	return act;
}

export async function fireTimer(
	store: SessionStore,
	timerId: string,
	leaseToken: string,
	outcome: TimerFireOutcome,
	event: PublishEventInput,
): Promise<FiredTimer | null> {
	const [fired] = await store.fireTimers([{ timerId, leaseToken, outcome, event }]);
	return fired;
}

/** A fire where only the timer matters: the event it appends is timerEvent. */
export async function completeTimerFire(
	store: SessionStore,
	timerId: string,
	leaseToken: string,
	outcome: TimerFireOutcome,
): Promise<Timer | null> {
	const fired = await fireTimer(store, timerId, leaseToken, outcome, timerEvent);
	return fired === null ? null : fired.timer;
}
