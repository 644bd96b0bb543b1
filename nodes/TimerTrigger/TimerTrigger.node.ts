import { randomUUID } from 'node:crypto';

import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { getStore } from '../shared/store';
import type { StoredEvent } from '../shared/store/types';
import { TimerEngine } from '../shared/timers/engine';
import { matchesFilter } from '../shared/triggers/match';
import { outboxMaxAgeMs, subscribeToOutbox } from '../shared/triggers/outbox';

const TIMER_FIRED = 'timer_fired';

export class TimerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Timer Trigger',
		name: 'timerTrigger',
		icon: { light: 'file:../../icons/timerTrigger.svg', dark: 'file:../../icons/timerTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["timerName"] || "any timer"}}',
		description: 'Starts the workflow each time a matching timer set with Set Timer (or Send Command) fires',
		eventTriggerDescription: 'Waiting for a timer to fire',
		defaults: { name: 'Timer Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Fires of timers set while no matching trigger is active wait in the outbox for an hour (AGENT_CONNECTORS_OUTBOX_MAX_AGE_SECONDS) and are delivered when this trigger becomes active',
				name: 'outboxNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Connector',
				name: 'connectorIdn',
				type: 'string',
				default: '',
				placeholder: 'e.g. my_timer',
				description: 'Only timers set on this connector (connectorIdn); any connector when empty',
			},
			{
				displayName: 'Timer Name',
				name: 'timerName',
				type: 'string',
				default: '',
				placeholder: 'e.g. followup_*',
				description: 'Only timers of this name; any timer when empty',
			},
			{
				displayName: 'Match Timer Name',
				name: 'timerNameMatch',
				type: 'options',
				options: [
					{ name: 'Exactly', value: 'exact' },
					{ name: 'As a Wildcard Pattern', value: 'pattern', description: 'Asterisk matches any text, question mark one character' },
				],
				default: 'exact',
			},
			{
				displayName: 'Event Name',
				name: 'eventIdn',
				type: 'string',
				default: '',
				placeholder: 'e.g. timer_fired',
				description: 'Only timers set with this event name (eventIdn); any event when empty',
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const connectorIdn = this.getNodeParameter('connectorIdn', '') as string;
		const timerName = this.getNodeParameter('timerName', '') as string;
		const timerNameMatch = this.getNodeParameter('timerNameMatch', 'exact') as 'exact' | 'pattern';
		const eventIdn = this.getNodeParameter('eventIdn', '') as string;

		const store = await getStore();
		const manual = this.getMode() === 'manual';
		// An active trigger keeps its position across restarts and saves; a test
		// listener only wants fires from now on.
		const consumerId = manual
			? `timer-trigger:test:${randomUUID()}`
			: `timer-trigger:${this.getWorkflow().id ?? 'unsaved'}:${this.getNode().id}`;
		await store.pruneEvents(Date.now() - outboxMaxAgeMs());
		// A new active trigger also takes the fires still waiting in the outbox.
		await store.registerConsumer(consumerId, manual ? undefined : 0);

		const deliver = (event: StoredEvent) => {
			const fire = event.payload;
			if (!matchesFilter(connectorIdn, event.connectorIdn)) return;
			if (!matchesFilter(timerName, String(fire.timerName ?? ''), timerNameMatch)) return;
			if (!matchesFilter(eventIdn, String(fire.eventIdn ?? ''))) return;
			this.emit([[{ json: fire as IDataObject }]]);
		};
		const logError = (what: string) => (error: unknown) =>
			this.logger.error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
		const subscription = subscribeToOutbox(store, consumerId, [TIMER_FIRED], deliver, logError('Timer Trigger could not read the outbox'));
		// Timers set by other processes (workers, the CLI) are noticed within a
		// quarter second; the query behind each look is one indexed read.
		const engine = TimerEngine.forProcess(store, { maxSleepMs: 250, onError: logError('The timer engine failed a wake-up') });
		engine.acquire();
		const stopListening = engine.onFired(() => void subscription.drain());
		await subscription.drain();

		return {
			closeFunction: async () => {
				stopListening();
				subscription.close();
				await engine.release();
			},
		};
	}
}
