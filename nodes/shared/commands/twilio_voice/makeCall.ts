import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import type { TwilioFormValue } from '../../transport/twilio';
import {
	outboundCallTwiml,
	turnTwiml,
	type EnqueueTask,
	type SpeechOptions,
} from '../../twiml/voice';
import { addressPattern, E164 } from '../../integrations/twilio/addresses';
import {
	jsonArgument,
	optionalBoolean,
	optionalHttpUrl,
	optionalList,
	optionalPositiveNumber,
	optionalString,
	requiredString,
} from '../arguments';
import { ArgumentError } from '../errors';
import { createForRecipient } from '../../integrations/twilio/recipient';
import type { CommandArguments, CommandDefinition } from '../types';

/** Where Twilio can place a call: a phone number, a SIP address or a Voice SDK client. */
const DESTINATION = addressPattern(String.raw`sips?:\S+@\S+`, 'client:[A-Za-z0-9_.-]+');
/** DTMF Twilio can play: digits, A-D, # and *, with w (half a second) and W (a second) as pauses. */
const DIGITS = /^[0-9A-D#*wW]{1,32}$/;
const MAX_TWIML_CHARACTERS = 4000;
const MAX_RING_SECONDS = 600;
const MACHINE_DETECTION = ['Enable', 'DetectMessageEnd'];
const STATUS_EVENTS = ['initiated', 'ringing', 'answered', 'completed'];
const CONVERSATION_EVENTS = ['answered', 'completed'];
const CALLS_PATH = '/2010-04-01/Accounts/{AccountSid}/Calls.json';

export const VOICE_INTEGRATION = 'twilio_voice';

export interface MakeCallInput {
	to: string;
	from: string;
	/** Exactly one of twiml / url tells Twilio what the answered call does. */
	twiml?: string;
	url?: string;
	/** Conversation mode: the Call Trigger URL the callee's turns go to. */
	conversationUrl?: string;
	form: Record<string, TwilioFormValue>;
}

export function readDestination(args: CommandArguments): string {
	const to = requiredString(args, 'phoneNumber', 'The number to call in E.164, e.g. +16507000000');
	if (!DESTINATION.test(to)) {
		throw new ArgumentError(
			'phoneNumber',
			`must be an E.164 number (+16507000000), a SIP address (sip:alice@example.com) or client:identity, got "${to}"`,
		);
	}
	return to;
}

export function checkCallerId(from: string): string {
	if (!E164.test(from) && !from.startsWith('client:')) {
		throw new ArgumentError(
			'callerId',
			`must be an E.164 number such as +16505550100, got "${from}"`,
		);
	}
	return from;
}

function readCallerId(args: CommandArguments): string {
	return checkCallerId(
		requiredString(
			args,
			'callerId',
			'A Twilio number or verified caller ID in E.164, e.g. +16505550100',
		),
	);
}

export function optionalDigits(args: CommandArguments, name: string): string | undefined {
	const digits = optionalString(args, name);
	if (digits !== undefined && !DIGITS.test(digits)) {
		throw new ArgumentError(
			name,
			`may hold only 0-9, A-D, #, * and w/W (at most 32), got "${digits}"`,
		);
	}
	return digits;
}

function readList(args: CommandArguments, name: string, allowed: string[]): string[] | undefined {
	const items = optionalList(args, name);
	if (items === undefined) return undefined;
	const unknown = items.filter((item) => !allowed.includes(item));
	if (unknown.length > 0)
		throw new ArgumentError(
			name,
			`has unknown values ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`,
		);
	return items;
}

function readEnqueue(args: CommandArguments, to: string): EnqueueTask | undefined {
	const workflowSid = optionalString(args, 'workflowSid');
	const attributes = jsonArgument(args, 'taskAttributes');
	if (workflowSid === undefined) {
		// The field's default `{}` says nothing; attributes that say something need a queue.
		const saysSomething =
			attributes !== undefined &&
			!(
				typeof attributes === 'object' &&
				attributes !== null &&
				Object.keys(attributes).length === 0
			);
		if (saysSomething)
			throw new ArgumentError('taskAttributes', 'needs a workflowSid to queue the call with');
		return undefined;
	}
	if (!/^WW[0-9a-fA-F]{32}$/.test(workflowSid))
		throw new ArgumentError(
			'workflowSid',
			`must be a TaskRouter workflow SID (WW…), got "${workflowSid}"`,
		);
	if (
		attributes !== undefined &&
		(attributes === null || typeof attributes !== 'object' || Array.isArray(attributes))
	) {
		throw new ArgumentError('taskAttributes', 'must be a JSON object');
	}
	// Flex routes an outbound voice task by `outbound_to` (TaskRouter error 40142 without it).
	return {
		workflowSid,
		attributes: { ...((attributes as JsonObject | undefined) ?? {}), outbound_to: to },
	};
}

/** What the answered call does: the greeting (and queue) as TwiML, your TwiML, or your TwiML URL. */
function readCallScript(
	args: CommandArguments,
	to: string,
): Pick<MakeCallInput, 'twiml' | 'url' | 'conversationUrl'> {
	const greeting = optionalString(args, 'greetingPhrase');
	const ownTwiml = optionalString(args, 'twiml');
	const url = optionalHttpUrl(args, 'twimlUrl');
	const given = [
		greeting !== undefined && 'greetingPhrase',
		ownTwiml !== undefined && 'twiml',
		url !== undefined && 'twimlUrl',
	].filter(Boolean);
	if (given.length > 1)
		throw new ArgumentError(
			String(given[1]),
			`cannot be used together with ${String(given[0])}`,
			'Give one of greetingPhrase, twiml or twimlUrl',
		);
	const enqueue = readEnqueue(args, to);
	const conversationUrl = optionalHttpUrl(args, 'conversationUrl');
	if (conversationUrl !== undefined) {
		const clash =
			ownTwiml !== undefined
				? 'twiml'
				: url !== undefined
					? 'twimlUrl'
					: enqueue
						? 'workflowSid'
						: undefined;
		if (clash !== undefined)
			throw new ArgumentError(
				clash,
				'cannot be used with conversationUrl: the Call Trigger decides what the call does',
			);
		// Conversation mode: greet, then listen; what the callee says goes to the Call Trigger.
		const twiml = turnTwiml({
			text: greeting,
			speech: readSpeech(args),
			then: { kind: 'listen', listen: { actionUrl: conversationUrl } },
		});
		return { twiml: checkTwimlLength(twiml, 'greetingPhrase'), conversationUrl };
	}
	if (url !== undefined) {
		if (enqueue)
			throw new ArgumentError(
				'workflowSid',
				'cannot be used with twimlUrl: your TwiML decides what the call does',
			);
		return { url };
	}
	const twiml =
		ownTwiml ??
		(greeting !== undefined || enqueue
			? outboundCallTwiml(greeting, readSpeech(args), enqueue)
			: undefined);
	if (twiml === undefined) {
		throw new ArgumentError(
			'greetingPhrase',
			'is required unless twiml, twimlUrl, a workflowSid or a conversationUrl says what the answered call does',
		);
	}
	return { twiml: checkTwimlLength(twiml, ownTwiml !== undefined ? 'twiml' : 'greetingPhrase') };
}

function readSpeech(args: CommandArguments): SpeechOptions {
	return { voice: optionalString(args, 'voice'), language: optionalString(args, 'language') };
}

function checkTwimlLength(twiml: string, field: string): string {
	if (twiml.length > MAX_TWIML_CHARACTERS) {
		throw new ArgumentError(
			field,
			`makes TwiML of ${twiml.length} characters; Twilio takes at most ${MAX_TWIML_CHARACTERS}`,
		);
	}
	return twiml;
}

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
	{
		displayName: 'From (Caller ID)',
		name: 'callerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +16505550100',
		description: 'A Twilio number of the account, or a verified caller ID, in E.164',
	},
	{
		displayName: 'Greeting Phrase',
		name: 'greetingPhrase',
		type: 'string',
		default: '',
		placeholder: 'e.g. Hello, how can I assist you today?',
		description:
			'Spoken when the call is answered; leave empty when Options give your own TwiML or TwiML URL',
	},
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
					"Conversation mode: after the greeting the call listens, and what the callee says goes to this Call Trigger's production URL, whose workflow answers with Reply to Call. Status callbacks go there too unless set below.",
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
					'Queue the answered call (after the greeting) as a TaskRouter task, the way Flex places outbound calls',
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
		],
	},
];

export const makeCall: CommandDefinition<MakeCallInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'make_call',
	displayName: 'Start Outbound Call',
	description: 'Call a number and say the greeting when it is answered',
	arguments: [
		{
			name: 'phoneNumber',
			type: 'string',
			required: true,
			description: 'The number to call (E.164), sip: address or client:identity',
		},
		{
			name: 'callerId',
			type: 'string',
			required: true,
			description: 'The caller ID (From), E.164',
		},
		{
			name: 'greetingPhrase',
			type: 'string',
			required: false,
			description: 'Spoken when the call is answered',
		},
		{ name: 'voice', type: 'string', required: false, description: 'Voice of the greeting' },
		{ name: 'language', type: 'string', required: false, description: 'Language of the greeting' },
		{
			name: 'twiml',
			type: 'string',
			required: false,
			description: 'Your own TwiML instead of the greeting',
		},
		{
			name: 'twimlUrl',
			type: 'string',
			required: false,
			description: 'A TwiML URL instead of the greeting',
		},
		{
			name: 'timeout',
			type: 'number',
			required: false,
			description: 'Ring timeout in seconds, at most 600',
		},
		{ name: 'record', type: 'boolean', required: false, description: 'Record the call' },
		{
			name: 'machineDetection',
			type: 'string',
			required: false,
			description: 'Enable or DetectMessageEnd',
		},
		{
			name: 'sendDigits',
			type: 'string',
			required: false,
			description: 'DTMF digits to play on connect',
		},
		{ name: 'statusCallback', type: 'string', required: false, description: 'Status callback URL' },
		{
			name: 'statusCallbackEvent',
			type: 'string',
			required: false,
			description: 'initiated, ringing, answered, completed',
		},
		{
			name: 'workflowSid',
			type: 'string',
			required: false,
			description: 'TaskRouter workflow to queue the answered call in',
		},
		{
			name: 'conversationUrl',
			type: 'string',
			required: false,
			description: 'Call Trigger URL: greet, then hold a conversation there',
		},
		{
			name: 'taskAttributes',
			type: 'json',
			required: false,
			description: 'Attributes of that task',
		},
	],
	properties,
	validate(args) {
		const to = readDestination(args);
		const from = readCallerId(args);
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
			form: {
				To: to,
				From: from,
				Twiml: script.twiml,
				Url: script.url,
				Timeout: timeout,
				Record: optionalBoolean(args, 'record'),
				MachineDetection: machineDetection,
				SendDigits: sendDigits,
				// In conversation mode the Call Trigger also hears when the call is answered and when it ends, unless told otherwise.
				StatusCallback: optionalHttpUrl(args, 'statusCallback') ?? script.conversationUrl,
				StatusCallbackEvent:
					readList(args, 'statusCallbackEvent', STATUS_EVENTS) ??
					(script.conversationUrl !== undefined &&
					optionalString(args, 'statusCallback') === undefined
						? CONVERSATION_EVENTS
						: undefined),
			},
		};
	},
	async run(context, input, act) {
		const { created: call, recipient } = await createForRecipient(context, act, {
			path: CALLS_PATH,
			form: input.form,
			to: input.to,
		});
		return {
			status: 'sent',
			externalId: String(call.sid),
			result: {
				callSid: call.sid ?? null,
				status: call.status ?? null,
				to: call.to ?? input.to,
				from: call.from ?? input.from,
				direction: call.direction ?? null,
				...recipient,
				twiml: input.twiml ?? null,
				url: input.url ?? null,
				conversationUrl: input.conversationUrl ?? null,
			},
		};
	},
};
