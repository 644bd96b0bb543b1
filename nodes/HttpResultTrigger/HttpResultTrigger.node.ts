import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	RESULT_ERROR,
	RESULT_EVENTS,
	RESULT_SUCCESS,
	settleInterruptedRequests,
} from '../shared/integrations/http/result';
import type { StoredEvent } from '../shared/store/types';
import { matchesFilter } from '../shared/triggers/match';
import {
	maxRunsAtOnceOption,
	outboxNotice,
	subscribeTrigger,
} from '../shared/triggers/outboxTrigger';

/** How often requests whose process stopped are looked for (they end as result_error, "interrupted"). */
const INTERRUPTED_SWEEP_MS = 5000;

export class HttpResultTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HTTP Result Trigger',
		name: 'httpResultTrigger',
		icon: {
			light: 'file:../../icons/httpResultTrigger.svg',
			dark: 'file:../../icons/httpResultTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["targetAction"] || "any request"}}',
		description:
			'Starts the workflow with the result of a request that Send HTTP Request (or Send Command) sent in the background',
		eventTriggerDescription: 'Waiting for the result of a background HTTP request',
		defaults: { name: 'HTTP Result Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			outboxNotice('Results that arrive'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{
						name: 'Result Success',
						value: RESULT_SUCCESS,
						description: 'The request completed, whatever its status code',
					},
					{
						name: 'Result Error',
						value: RESULT_ERROR,
						description: 'Network failure, timeout, or n8n stopped while the request was in flight',
					},
				],
				default: [RESULT_SUCCESS, RESULT_ERROR],
				required: true,
			},
			{
				displayName: 'Connector',
				name: 'connectorIdn',
				type: 'string',
				default: '',
				placeholder: 'e.g. http',
				description:
					'Only results of requests sent on this connector (connectorIdn); any connector when empty',
			},
			{
				displayName: 'Target Action',
				name: 'targetAction',
				type: 'string',
				default: '',
				placeholder: 'e.g. check_order',
				description:
					'Only results of requests sent with this targetAction; any when empty. Asterisk matches any text.',
			},
			{
				displayName: 'Run Skill',
				name: 'runSkill',
				type: 'string',
				default: '',
				description:
					'Only results of requests sent with this runSkill; any when empty. Asterisk matches any text.',
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
		const events = this.getNodeParameter('events', RESULT_EVENTS) as string[];
		const connectorIdn = this.getNodeParameter('connectorIdn', '') as string;
		const targetAction = this.getNodeParameter('targetAction', '') as string;
		const runSkill = this.getNodeParameter('runSkill', '') as string;

		const select = (event: StoredEvent): IDataObject | null => {
			const result = event.payload;
			if (!matchesFilter(connectorIdn, event.connectorIdn)) return null;
			if (!matchesFilter(targetAction, String(result.targetAction ?? ''), 'pattern')) return null;
			if (!matchesFilter(runSkill, String(result.runSkill ?? ''), 'pattern')) return null;
			return { ...result, connectorIdn: event.connectorIdn } as IDataObject;
		};
		const types = events.length > 0 ? events : RESULT_EVENTS;
		const { store, subscription, logError } = await subscribeTrigger(
			this,
			'http-result-trigger',
			types,
			select,
		);

		const sweep = async () =>
			await settleInterruptedRequests(store).catch(
				logError('Looking for interrupted requests failed'),
			);
		await sweep();
		const sweeper = setInterval(() => void sweep(), INTERRUPTED_SWEEP_MS);
		sweeper.unref();
		await subscription.drain();

		return {
			closeFunction: async () => {
				clearInterval(sweeper);
				subscription.close();
			},
		};
	}
}
