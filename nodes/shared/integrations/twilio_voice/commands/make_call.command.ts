import type { INodeProperties } from 'n8n-workflow';

import {
	optionalBoolean,
	optionalPositiveNumber,
	optionalString,
} from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import type { CommandDefinition } from '../../../commands/types';
import { E164_PATTERN } from '../../twilio/addresses';
import { twilioLocator } from '../../twilio/pickers';
import { createForRecipient } from '../../twilio/recipient';
import { readSimplify, simplified, simplifyProperty } from '../../twilio/simplify';
import { createCall } from '../api';
import { checkCallerId, optionalDigits, readDestination } from '../callArguments';
import { readCallScript } from '../callScript';
import { VOICE_INTEGRATION } from '../constants';
import { readOutboundTask, runOutboundTask } from '../outboundTask';
import {
	completeCallerId,
	completeConversation,
	type MakeCallInput,
	scriptForm,
	STATUS_EVENTS,
} from '../outboundCall';

const MAX_RING_SECONDS = 600;
const MACHINE_DETECTION = ['Enable', 'DetectMessageEnd'];

const properties: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +16507000000',
		description:
			'The number to call (E.164), a SIP address (sip:…) or a Voice SDK client (client:identity)',
	},
	twilioLocator({
		displayName: 'From (Caller ID)',
		name: 'callerId',
		description:
			"A Twilio number of the account, or a verified caller ID, in E.164. Empty: the Twilio credential's Default Caller ID.",
		searchListMethod: 'searchVoiceNumbers',
		byValue: {
			displayName: 'By Number',
			placeholder: 'e.g. +16505550100',
			regex: `(?:${E164_PATTERN}|client:\\S+)`,
			errorMessage: 'Give an E.164 number such as +16505550100',
		},
	}),
	{
		displayName: 'Greeting Phrase',
		name: 'greetingPhrase',
		type: 'string',
		default: '',
		placeholder: 'e.g. Hello, how can I assist you today?',
		description:
			'Spoken when the call is answered; leave empty when Options give your own TwiML or TwiML URL',
	},
	simplifyProperty,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Conversation URL (Call Trigger)',
				name: 'conversationUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/call',
				description:
					"Conversation mode: after the greeting the call listens, and what the callee says goes to this Call Trigger's production URL, whose workflow answers with Reply to Call. Status callbacks go there too unless set below. Empty: the Call Trigger listening on the connector, if an active one does.",
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en-US',
				description: 'Language of the greeting',
			},
			{
				displayName: 'Machine Detection',
				name: 'machineDetection',
				type: 'options',
				options: [
					{
						name: 'Enable',
						value: 'Enable',
						description: 'Detect a person or a machine as soon as possible',
					},
					{
						name: 'Detect Message End',
						value: 'DetectMessageEnd',
						description: "Wait for the machine's greeting to end",
					},
				],
				default: 'Enable',
			},
			{
				displayName: 'Queue SID (Agent Places the Call)',
				name: 'queueSid',
				type: 'string',
				default: '',
				placeholder: 'WQ…',
				description:
					'Instead of placing the call, route a voice task for the number to this TaskRouter queue; the agent who accepts it places the call. Needs the Workspace SID.',
			},
			{
				displayName: 'Record',
				name: 'record',
				type: 'boolean',
				default: false,
				description: 'Whether to record the call',
			},
			{
				displayName: 'Ring Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_RING_SECONDS },
				default: 60,
				description: 'How long to let the call ring before giving up (Twilio allows up to 600)',
			},
			{
				displayName: 'Send Digits',
				name: 'sendDigits',
				type: 'string',
				default: '',
				placeholder: 'e.g. ww1234#',
				description:
					'DTMF digits to play once the call connects (0-9, A-D, #, *; w waits half a second). Disables Machine Detection.',
			},
			{
				displayName: 'Status Callback Events',
				name: 'statusCallbackEvent',
				type: 'multiOptions',
				options: STATUS_EVENTS.map((event) => ({
					name: event[0].toUpperCase() + event.slice(1),
					value: event,
				})),
				default: [],
			},
			{
				displayName: 'Status Callback URL',
				name: 'statusCallback',
				type: 'string',
				default: '',
				description: 'Twilio posts call status changes here',
			},
			{
				displayName: 'Task Attributes (JSON)',
				name: 'taskAttributes',
				type: 'json',
				default: '{}',
				description:
					'With a TaskRouter Workflow SID: attributes of the task the answered call becomes (outbound_to is added)',
			},
			{
				displayName: 'TaskRouter Workflow SID',
				name: 'workflowSid',
				type: 'string',
				default: '',
				placeholder: 'WW…',
				description:
					'Queue the answered call (after the greeting) as a TaskRouter task, so a contact-center agent picks it up',
			},
			{
				displayName: 'TwiML',
				name: 'twiml',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description:
					'Your own TwiML for the answered call (at most 4000 characters), instead of the greeting',
			},
			{
				displayName: 'TwiML URL',
				name: 'twimlUrl',
				type: 'string',
				default: '',
				description: 'A URL that returns TwiML for the answered call, instead of the greeting',
			},
			{
				displayName: 'Voice',
				name: 'voice',
				type: 'string',
				default: '',
				placeholder: 'e.g. Polly.Joanna',
				description: 'Voice of the greeting (Twilio voice name)',
			},
			{
				displayName: 'Workspace SID',
				name: 'workspaceSid',
				type: 'string',
				default: '',
				placeholder: 'WS…',
				description: 'The TaskRouter workspace of the Queue SID',
			},
		],
	},
];

export const makeCall: CommandDefinition<MakeCallInput & { simplify: boolean }> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'make_call',
	aliases: ['StartOutboundCall'],
	displayName: 'Start Outbound Call',
	description: 'Call a number and say the greeting when it is answered',
	properties,
	// Flex's StartOutboundCall names the number `destination`.
	sendCommandAliases: { destination: 'phoneNumber' },
	validate(args, request) {
		const to = readDestination(args);
		const callerId = optionalString(args, 'callerId');
		const from = callerId === undefined ? undefined : checkCallerId(callerId);
		const outboundTask = readOutboundTask(args);
		if (outboundTask !== undefined)
			return {
				to,
				from,
				outboundTask,
				form: {},
				connectorIdn: request.connectorIdn,
				args,
				simplify: readSimplify(args),
				conversationByDefault: false,
			};
		const script = readCallScript(args, to);
		const sendDigits = optionalDigits(args, 'sendDigits');
		const machineDetection = optionalString(args, 'machineDetection');
		if (machineDetection !== undefined && !MACHINE_DETECTION.includes(machineDetection)) {
			throw new ArgumentError(
				'machineDetection',
				`must be Enable or DetectMessageEnd, got "${machineDetection}"`,
			);
		}
		// Twilio ignores machine detection when digits are sent; say so rather than drop it silently.
		if (sendDigits !== undefined && machineDetection !== undefined) {
			throw new ArgumentError(
				'machineDetection',
				'cannot be used with sendDigits: Twilio turns machine detection off when it sends digits',
			);
		}
		const timeout = optionalPositiveNumber(args, 'timeout', {
			integer: true,
			max: MAX_RING_SECONDS,
		});
		return {
			to,
			from,
			...script,
			connectorIdn: request.connectorIdn,
			args,
			simplify: readSimplify(args),
			conversationByDefault:
				script.twiml !== undefined &&
				script.conversationUrl === undefined &&
				optionalString(args, 'twiml') === undefined &&
				optionalString(args, 'workflowSid') === undefined,
			form: {
				To: to,
				From: from,
				Timeout: timeout,
				Record: optionalBoolean(args, 'record'),
				MachineDetection: machineDetection,
				SendDigits: sendDigits,
				...scriptForm(args, script),
			},
		};
	},
	// The credential and the store reach a command only here, still before anything is sent.
	async check(context, input) {
		if (input.outboundTask !== undefined) return;
		await completeCallerId(context, input);
		await completeConversation(context, input);
	},
	async run(context, input, act) {
		if (input.outboundTask !== undefined)
			return await runOutboundTask(context, act, { ...input, outboundTask: input.outboundTask });
		const { created: call, recipient } = await createForRecipient(
			context,
			act,
			input.to,
			(client) => createCall(client, input.form),
		);
		return {
			status: 'sent',
			externalId: String(call.sid),
			result: simplified(input.simplify, call, () => ({
				callSid: call.sid ?? null,
				status: call.status ?? null,
				to: call.to ?? input.to,
				from: call.from ?? input.from ?? null,
				direction: call.direction ?? null,
				...recipient,
				twiml: input.twiml ?? null,
				url: input.url ?? null,
				conversationUrl: input.conversationUrl ?? null,
				notice: input.notice ?? null,
			})),
		};
	},
};
