import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { listIntegrations, sendCommandCredentials } from '../shared/integrations/registry';
import { commandListNotices } from './commandList';
import { readCommandRequest } from './request';
import { runCommandPerItem } from '../shared/node/runPerItem';

const integrationOptions: INodePropertyOptions[] = listIntegrations().map((integration) => ({
	name: integration.displayName,
	value: integration.integrationIdn,
	description: integration.description,
}));

export class SendCommand implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Send Command',
		name: 'sendCommand',
		icon: {
			light: 'file:../../icons/sendCommand.svg',
			dark: 'file:../../icons/sendCommand.dark.svg',
		},
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["integrationIdn"] + ": " + $parameter["commandIdn"]}}',
		description: 'Send a command to a connector and record it as an act',
		defaults: { name: 'Send Command' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		usableAsTool: true,
		// Integrations that reach a service need its credential; the others need none.
		credentials: sendCommandCredentials(),
		properties: [
			{
				displayName: 'Integration',
				name: 'integrationIdn',
				type: 'options',
				options: integrationOptions,
				default: 'sandbox',
				description:
					"The integration that runs the command (integrationIdn). The aliases at the end of the list are other platforms' names for these integrations.",
			},
			{
				displayName: 'Command',
				name: 'commandIdn',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. send_message',
				description:
					'The connector command identifier (commandIdn); smsAction when the arguments are an action {"command": …, "parameters": {…}}',
			},
			...commandListNotices,
			{
				displayName: 'Connector',
				name: 'connectorIdn',
				type: 'string',
				default: '',
				required: true,
				placeholder: 'e.g. sms_connector',
				description:
					'The connector identifier (connectorIdn); recorded with the act and used by triggers to filter',
			},
			{
				displayName: 'Persona ID',
				name: 'personaId',
				type: 'string',
				default: '',
				description:
					'The persona the command is for. When empty, the personaId or userPersonaId argument is used.',
			},
			{
				displayName: 'Arguments As',
				name: 'argumentsMode',
				type: 'options',
				options: [
					{
						name: 'Key / Value Pairs',
						value: 'keyValue',
						description: 'One string per argument, as in SendCommand',
					},
					{ name: 'JSON Object', value: 'json', description: 'All arguments as one JSON object' },
				],
				default: 'keyValue',
			},
			{
				displayName: 'Arguments',
				name: 'arguments',
				type: 'fixedCollection',
				placeholder: 'Add Argument',
				typeOptions: { multipleValues: true, sortable: true },
				displayOptions: { show: { argumentsMode: ['keyValue'] } },
				default: {},
				options: [
					{
						displayName: 'Argument',
						name: 'argument',
						values: [
							{
								displayName: 'Name',
								name: 'name',
								type: 'string',
								default: '',
								placeholder: 'e.g. phoneNumber',
							},
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Arguments (JSON)',
				name: 'argumentsJson',
				type: 'json',
				displayOptions: { show: { argumentsMode: ['json'] } },
				default: '{}',
				description: 'An object whose keys are the argument names',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return runCommandPerItem(this, (itemIndex) => readCommandRequest(this, itemIndex));
	}
}
