import { randomUUID } from 'node:crypto';

import type { INodeProperties, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { getStore } from '../store';
import type { SessionStore, StoredEvent } from '../store/types';
import { TimerEngine } from '../timers/engine';
import { outboxMaxAgeMs, subscribeToOutbox, type OutboxSubscription } from './outbox';

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
 */
export async function subscribeTrigger(
	functions: ITriggerFunctions,
	kind: string,
	types: string[],
	deliver: (event: StoredEvent) => void,
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
	const subscription = subscribeToOutbox(
		store,
		consumerId,
		types,
		deliver,
		logError(`${functions.getNode().name} could not read the outbox`),
	);
	return { store, subscription, logError };
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
