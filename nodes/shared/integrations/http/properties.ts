import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_SIGNATURE_HEADER } from '../../transport/signing';

/**
 * The Send HTTP Request node's fields. Each name is a send_request argument
 * (the Options collection's fields too), so the node and Send Command feed
 * the same validation; the `specify…` choices pick between the name / value
 * and the JSON form of the same argument.
 */

function nameValuePairs(
	name: string,
	displayName: string,
	placeholder: string,
	show: Record<string, string[]>,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'fixedCollection',
		placeholder: `Add ${placeholder}`,
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show },
		default: {},
		options: [
			{
				displayName: placeholder,
				name: 'pair',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	};
}

function specifyAs(name: string, displayName: string): INodeProperties {
	return {
		displayName,
		name,
		type: 'options',
		options: [
			{ name: 'Using Fields Below', value: 'keypair' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'keypair',
	};
}

export const sendRequestProperties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: ['DELETE', 'GET', 'PATCH', 'POST', 'PUT'].map((method) => ({
			name: method,
			value: method,
		})),
		default: 'GET',
		required: true,
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://api.example.com/endpoint',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: 'none' },
			{
				name: 'Predefined Credential Type',
				value: 'predefinedCredentialType',
				description:
					"A credential of this package (Twilio, WTS Chat) adds that service's authentication",
			},
			{
				name: 'Generic Credential Type',
				value: 'genericCredentialType',
				description: 'An HTTP Auth credential: Basic, Bearer, a header or a query parameter',
			},
		],
		default: 'none',
	},
	{
		displayName: 'Credential Type',
		name: 'nodeCredentialType',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Twilio API', value: 'agentTwilioApi' },
			{ name: 'WTS Chat API', value: 'wtsChatApi' },
		],
		default: 'agentTwilioApi',
		displayOptions: { show: { authentication: ['predefinedCredentialType'] } },
	},
	specifyAs('specifyQuery', 'Query Parameters'),
	nameValuePairs('parameters', 'Query Parameters', 'Parameter', { specifyQuery: ['keypair'] }),
	{
		displayName: 'Query Parameters (JSON)',
		name: 'parametersJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { specifyQuery: ['json'] } },
	},
	specifyAs('specifyHeaders', 'Headers'),
	nameValuePairs('headers', 'Headers', 'Header', { specifyHeaders: ['keypair'] }),
	{
		displayName: 'Headers (JSON)',
		name: 'headersJson',
		type: 'json',
		default: '{}',
		displayOptions: { show: { specifyHeaders: ['json'] } },
	},
	{
		displayName: 'Body',
		name: 'bodyType',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'JSON', value: 'json' },
			{
				name: 'Form URL-Encoded',
				value: 'form',
				description: 'Form fields, sent as application/x-www-form-urlencoded',
			},
		],
		default: 'none',
		displayOptions: { show: { method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
	},
	{
		displayName: 'JSON Body',
		name: 'body',
		type: 'json',
		default: '{}',
		displayOptions: { show: { bodyType: ['json'], method: ['POST', 'PUT', 'PATCH', 'DELETE'] } },
		description: 'Sent exactly as written; a signature covers these bytes',
	},
	nameValuePairs('data', 'Form Fields', 'Field', {
		bodyType: ['form'],
		method: ['POST', 'PUT', 'PATCH', 'DELETE'],
	}),
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Wait for the Response',
				value: 'sync',
				description:
					'Output the response: Success for any completed response, Error for a network failure or timeout',
			},
			{
				name: 'Send in the Background',
				value: 'async',
				description:
					'Output the act at once; HTTP Result Trigger workflows get the result (result_success / result_error)',
			},
		],
		default: 'sync',
	},
	{
		displayName: 'Sign Request',
		name: 'signRequest',
		type: 'boolean',
		default: false,
		description:
			'Whether to sign the exact body bytes with the Request Signing credential (base64 HMAC-SHA256, as Vocode signs)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Input Schema',
				name: 'input_schema',
				type: 'json',
				default: '{\n  "type": "object",\n  "properties": {}\n}',
				description:
					'JSON Schema (top level an object) the JSON body must match; a body that does not is an error and nothing is sent',
			},
			{
				displayName: 'Params',
				name: 'params',
				type: 'string',
				default: '',
				description: 'Passed through to the result for its handlers',
			},
			{
				displayName: 'Request Parameters',
				name: 'request_parameters',
				type: 'string',
				default: '',
				description: 'The complete request parameters, passed through to the result for context',
			},
			{
				displayName: 'Response Format',
				name: 'responseFormat',
				type: 'options',
				options: [
					{ name: 'As Received', value: 'raw' },
					{
						name: 'Agent Action Result',
						value: 'agentAction',
						description: 'Also output result and agent_message of a {result, agent_message} answer',
					},
				],
				default: 'raw',
			},
			{
				displayName: 'Run Skill',
				name: 'runSkill',
				type: 'string',
				default: '',
				description:
					'Name of a skill to run on a successful response; HTTP Result Trigger can filter on it',
			},
			{
				displayName: 'Signature Header',
				name: 'signatureHeader',
				type: 'string',
				default: DEFAULT_SIGNATURE_HEADER,
				description: 'The header that carries the signature when Sign Request is on',
			},
			{
				displayName: 'Target Action',
				name: 'targetAction',
				type: 'string',
				default: '',
				description: 'Action identifier passed to the result; HTTP Result Trigger can filter on it',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 3600 },
				default: 10,
				description: 'How long to wait for the response before it is a result_error',
			},
			{
				displayName: 'User Persona ID',
				name: 'userPersonaId',
				type: 'string',
				default: '',
				description: 'The persona the request is for, recorded with the act',
			},
		],
	},
];
