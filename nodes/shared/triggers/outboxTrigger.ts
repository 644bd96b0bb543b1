import { randomUUID } from 'node:crypto';

import type {
	IDataObject,
	INodeProperties,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { getStore } from '../store';
import type { SessionStore, StoredEvent } from '../store/types';
import { TimerEngine } from '../timers/engine';
import { keepListenerRegistered } from './connectorListener';
import { deduplicationKey, emitOnce } from './emitOnce';
import { outboxMaxAgeMs, subscribeToOutbox, type OutboxSubscription } from './outbox';

/**
 * What a trigger makes of an event: the item its workflow starts with, or
 * null when the event is not for it (filtered out, or its session ended).
 */
export type FireSelector = (event: StoredEvent) => IDataObject | null | Promise<IDataObject | null>;

/** How many of a trigger's runs may be unfinished before it takes more fires from the store. */
export const DEFAULT_MAX_RUNS_AT_ONCE = 100;

/** The option every outbox trigger offers in its Options collection. */
export const maxRunsAtOnceOption: INodeProperties = {
	displayName: 'Max Runs at Once',
	name: 'maxRunsAtOnce',
	type: 'number',
	typeOptions: { minValue: 1, numberPrecision: 0 },
	default: DEFAULT_MAX_RUNS_AT_ONCE,
	description:
		'How many executions this trigger may have unfinished at once. Further fires wait in the store, where they survive a restart, until one finishes.',
};

export interface OutboxTrigger {
	store: SessionStore;
	subscription: OutboxSubscription;
	/** Logs a background failure under the trigger's name (errors never stop the trigger). */
	logError: (what: string) => (error: unknown) => void;
}

/**
 * Subscribes a trigger node to the outbox. An active trigger keeps its
 * position across restarts and saves, and when new it takes the events
 * still waiting; a test listener (the editor's "listen for test event") only
 * wants events from now on.
 *
 * Each fire the selector keeps starts one execution, with the event's id as
 * `eventId` and n8n's deduplication key made of the trigger and the event:
 * an event handed off again after a crash or restart starts nothing new.
 * It counts as delivered when n8n reports the run done.
 *
 * While subscribed, an active trigger is registered on its connector;
 * closing the subscription unregisters it.
 */
export async function subscribeTrigger(
	functions: ITriggerFunctions,
	kind: string,
	types: string[],
	select: FireSelector,
): Promise<OutboxTrigger> {
	const store = await getStore();
	const manual = functions.getMode() === 'manual';
	const consumerId = manual
		? `${kind}:test:${randomUUID()}`
		: `${kind}:${functions.getWorkflow().id ?? 'unsaved'}:${functions.getNode().id}`;
	await store.pruneEvents(Date.now() - outboxMaxAgeMs());
	await store.registerConsumer(consumerId, manual ? undefined : 0);

	const logError = (what: string) => (error: unknown) =>
		functions.logger.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
	const handOff = async (event: StoredEvent) => {
		const fire = await select(event);
		if (fire === null) return;
		const item = { ...fire, eventId: event.id };
		if (manual) functions.emit([[{ json: item }]]);
		else await emitOnce(functions, item, deduplicationKey(consumerId, event.id));
	};
	const limit = maxRunsAtOnce(functions);
	const unregister = await keepListenerRegistered(functions);
	const subscription = subscribeToOutbox(
		store,
		consumerId,
		types,
		handOff,
		limit,
		logError(`${functions.getNode().name} could not deliver from the outbox`),
	);
	return { store, subscription: alsoOnClose(subscription, unregister), logError };
}

/** `subscription`, whose close also runs `onClose`; the same object, so whatever else it offers stays. */
function alsoOnClose(
	subscription: OutboxSubscription,
	onClose: () => Promise<void>,
): OutboxSubscription {
	const close = subscription.close.bind(subscription);
	subscription.close = () => {
		close();
		void onClose();
	};
	return subscription;
}

function maxRunsAtOnce(functions: ITriggerFunctions): number {
	const options = functions.getNodeParameter('options', {}) as { maxRunsAtOnce?: unknown };
	const value = options.maxRunsAtOnce ?? DEFAULT_MAX_RUNS_AT_ONCE;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
		throw new NodeOperationError(
			functions.getNode(),
			`Max Runs at Once must be a whole number of at least 1, got ${JSON.stringify(value)}`,
		);
	return value;
}

/** The notice every outbox trigger shows: what happens to events while it is not listening. */
export function outboxNotice(what: string): INodeProperties {
	return {
		displayName: `${what} while no matching trigger is active wait in the outbox for an hour (AGENT_CONNECTORS_OUTBOX_MAX_AGE_SECONDS) and are delivered when this trigger becomes active`,
		name: 'outboxNotice',
		type: 'notice',
		default: '',
	};
}

/**
 * Keeps this process's timer engine running while an outbox trigger that
 * waits for timer fires is active; its fires reach the trigger through the
 * outbox like any event. Returns the trigger's close function.
 */
export async function listenWithTimerEngine({
	store,
	subscription,
	logError,
}: OutboxTrigger): Promise<ITriggerResponse> {
	const engine = TimerEngine.forProcess(store);
	const onError = logError('The timer engine failed a wake-up');
	engine.acquire(onError);
	await subscription.drain();
	return {
		closeFunction: async () => {
			subscription.close();
			await engine.release(onError);
		},
	};
}
