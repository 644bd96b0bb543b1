import type { INodeProperties } from 'n8n-workflow';

import { MAX_WAIT_SECONDS } from './api';

/** The Send Chatbot Message node's fields; each name is a send_chatbot argument (the Options collection's too). */
const chatbotProperty: INodeProperties = {
	displayName: 'Chatbot',
	name: 'botKey',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The chatbot to start. From the list, or its key (the UUID WTS Chat calls botKey), e.g. from an expression.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChatbots', searchable: true },
		},
		{
			displayName: 'By Key',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 2b0c7f1e-8a5d-4c3b-9f21-7d6e5a4b3c21',
		},
	],
};

const channelProperty: INodeProperties = {
	displayName: 'From',
	name: 'from',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The channel the chatbot writes from: its phone number or @instagram user. Not needed with a Session ID.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchChannels', searchable: true },
		},
		{
			displayName: 'By Number or User',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 5511999990000',
		},
	],
};

const metadataProperty = (
	displayName: string,
	name: string,
	description: string,
): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Pair',
	default: {},
	description,
	options: [
		{
			displayName: 'Pair',
			name: 'pairs',
			values: [
				{ displayName: 'Key', name: 'key', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

export const sendChatbotProperties: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 7f3c2a1b-…',
		description:
			'The conversation to run the chatbot in; a completed one runs it without reopening. Empty: the conversation of From and To.',
	},
	chatbotProperty,
	channelProperty,
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		placeholder: 'e.g. 5511988887777',
		description: "The recipient's phone number or @instagram user; not needed with a Session ID",
	},
	{
		displayName: 'Force Start Session',
		name: 'forceStartSession',
		type: 'boolean',
		default: false,
		description: 'Whether to complete a conversation in progress and start a new one',
	},
	{
		displayName: 'Skip If Bot In Execution',
		name: 'skipIfBotInExecution',
		type: 'boolean',
		default: false,
		description: 'Whether to skip sending when another chatbot is running in the conversation',
	},
	{
		displayName: 'Skip If In Progress',
		name: 'skipIfInProgress',
		type: 'boolean',
		default: false,
		description:
			'Whether to skip sending when a conversation is in progress (also guarded against executions racing for the same contact)',
	},
	metadataProperty(
		'Session Metadata',
		'sessionMetadata',
		'Key / value pairs saved on this conversation; the chatbot can use them, and they come back in webhooks while it lasts',
	),
	metadataProperty(
		'Contacts Metadata',
		'contactMetadata',
		'Key / value pairs saved on the contact, kept for later conversations too',
	),
	{
		displayName: 'Endpoint',
		name: 'endpoint',
		type: 'options',
		options: [
			{
				name: 'Immediate',
				value: 'immediate',
				description: 'POST /chat/v1/chatbot/send: answers the conversation (session)',
			},
			{
				name: 'Queued',
				value: 'queued',
				description:
					'POST /chat/v1/send/chatbot: answers a send status, processed by WTS Chat in the background',
			},
		],
		default: 'immediate',
	},
	{
		displayName: 'Wait for Send',
		name: 'waitForSend',
		type: 'boolean',
		default: false,
		description: 'Whether to wait until the queued send leaves PROCESSING / QUEUED',
		displayOptions: { show: { endpoint: ['queued'] } },
	},
	{
		displayName: 'Wait Limit (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_WAIT_SECONDS },
		default: 30,
		description: 'Give up waiting after this long; the output then says waitTimedOut',
		displayOptions: { show: { endpoint: ['queued'], waitForSend: [true] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				description: 'WTS Chat posts here when the chatbot starts or fails',
			},
			{
				displayName: 'Hidden Session',
				name: 'hiddenSession',
				type: 'boolean',
				default: false,
				description:
					'Whether a new conversation stays hidden in the inbox until the contact answers',
			},
			{
				displayName: 'Sender ID',
				name: 'senderId',
				type: 'string',
				default: '',
				description: 'Your own ID for this send, to trace it in WTS Chat',
			},
		],
	},
];
