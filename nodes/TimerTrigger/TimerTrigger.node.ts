import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { StoredEvent } from '../shared/store/types';
import { matchesFilter } from '../shared/triggers/match';
import {
	listenWithTimerEngine,
	maxRunsAtOnceOption,
	outboxNotice,
	subscribeTrigger,
} from '../shared/triggers/outboxTrigger';

const TIMER_FIRED = 'timer_fired';

export class TimerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Timer Trigger',
		name: 'timerTrigger',
		icon: {
			light: 'file:../../icons/timerTrigger.svg',
			dark: 'file:../../icons/timerTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["timerName"] || "any timer"}}',
		description:
			'Starts the workflow each time a matching timer set with Set Timer (or Send Command) fires',
		eventTriggerDescription: 'Waiting for a timer to fire',
		defaults: { name: 'Timer Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			outboxNotice('Fires of timers set'),
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
					{
						name: 'As a Wildcard Pattern',
						value: 'pattern',
						description: 'Asterisk matches any text, question mark one character',
					},
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
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [maxRunsAtOnceOption],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const connectorIdn = this.getNodeParameter('connectorIdn', '') as string;
		const timerName = this.getNodeParameter('timerName', '') as string;
		const timerNameMatch = this.getNodeParameter('timerNameMatch', 'exact') as 'exact' | 'pattern';
		const eventIdn = this.getNodeParameter('eventIdn', '') as string;

		const select = (event: StoredEvent): IDataObject | null => {
			const fire = event.payload;
			// Other integrations keep internal timers too (SMS session timeouts): this trigger is for program timers.
			if (event.integrationIdn !== 'program_timer') return null;
			if (!matchesFilter(connectorIdn, event.connectorIdn)) return null;
			if (!matchesFilter(timerName, String(fire.timerName ?? ''), timerNameMatch)) return null;
			if (!matchesFilter(eventIdn, String(fire.eventIdn ?? ''))) return null;
			return fire as IDataObject;
		};
		return await listenWithTimerEngine(
			await subscribeTrigger(this, 'timer-trigger', [TIMER_FIRED], select),
		);
	}
}
