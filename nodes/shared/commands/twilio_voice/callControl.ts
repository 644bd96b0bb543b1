import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { createTwilioClient, type TwilioClient } from '../../transport/twilio';
import { digitsTwiml, transferTwiml, type TransferTarget } from '../../twiml/voice';
import {
	optionalHttpUrl,
	optionalPositiveNumber,
	optionalString,
	requiredString,
} from '../arguments';
import { ArgumentError } from '../errors';
import type { ArgumentSpec, CommandArguments, CommandDefinition } from '../types';
import { checkCallerId, optionalDigits, readDestination, VOICE_INTEGRATION } from './makeCall';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** A call Twilio has not connected yet: it is stopped with `canceled`, a live one with `completed`. */
const NOT_YET_ANSWERED = new Set(['queued', 'ringing']);
/** Twilio's `<Dial timeout>` range. */
const TRANSFER_RING_SECONDS = { min: 5, max: 600 };

export interface CallRef {
	callSid: string;
}

export const callSidProperty: INodeProperties = {
	displayName: 'Call SID',
	name: 'callSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CA0123456789abcdef0123456789abcdef',
	description: 'The call, e.g. the callSid that Start Outbound Call output',
};

export function readCallSid(args: CommandArguments): CallRef {
	const callSid = requiredString(
		args,
		'callSid',
		'The CA… SID of the call, e.g. from Start Outbound Call',
	);
	if (!CALL_SID.test(callSid))
		throw new ArgumentError(
			'callSid',
			`must be a call SID (CA and 32 hex digits), got "${callSid}"`,
		);
	return { callSid };
}

function callPath(callSid: string): string {
	return `/2010-04-01/Accounts/{AccountSid}/Calls/${encodeURIComponent(callSid)}.json`;
}

async function fetchCall(client: TwilioClient, callSid: string): Promise<JsonObject> {
	return await client.request<JsonObject>({ method: 'GET', path: callPath(callSid) });
}

function callSummary(call: JsonObject): JsonObject {
	return {
		callSid: call.sid ?? null,
		status: call.status ?? null,
		to: call.to ?? null,
		from: call.from ?? null,
		direction: call.direction ?? null,
		duration: call.duration ?? null,
		startTime: call.start_time ?? null,
		endTime: call.end_time ?? null,
	};
}

const callArgument: ArgumentSpec[] = [
	{ name: 'callSid', type: 'string', required: true, description: 'The call SID (CA…)' },
];

/** Gives a live call new TwiML; Twilio refuses (21220) when the call is not in progress. */
async function redirectCall(
	client: TwilioClient,
	callSid: string,
	twiml: string,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		path: callPath(callSid),
		form: { Twiml: twiml },
	});
}

export const stopCall: CommandDefinition<CallRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'stop_call',
	displayName: 'Hang Up',
	description: 'End a call: cancel it while it rings, complete it once answered',
	arguments: callArgument,
	properties: [callSidProperty],
	validate: readCallSid,
	async run(context, { callSid }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const current = await fetchCall(client, callSid);
		const status = NOT_YET_ANSWERED.has(String(current.status)) ? 'canceled' : 'completed';
		const ended = await client.request<JsonObject>({
			method: 'POST',
			path: callPath(callSid),
			form: { Status: status },
		});
		return {
			status: 'completed',
			externalId: callSid,
			result: { ...callSummary(ended), requested: status },
		};
	},
};

export const getCall: CommandDefinition<CallRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'get_call',
	displayName: 'Get Call',
	description: 'Read a call: its status, duration and parties',
	arguments: callArgument,
	properties: [callSidProperty],
	validate: readCallSid,
	async run(context, { callSid }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		return {
			status: 'completed',
			externalId: callSid,
			result: callSummary(await fetchCall(client, callSid)),
		};
	},
};

/** Where a transfer goes (`phoneNumber`), how long it rings (`waitForTransferSeconds`), with which caller ID and announcement. */
export function readTransferTarget(args: CommandArguments): TransferTarget {
	const destination = readDestination(args);
	const ringSeconds = optionalPositiveNumber(args, 'waitForTransferSeconds', {
		integer: true,
		max: TRANSFER_RING_SECONDS.max,
	});
	if (ringSeconds !== undefined && ringSeconds < TRANSFER_RING_SECONDS.min) {
		throw new ArgumentError(
			'waitForTransferSeconds',
			`must be at least ${TRANSFER_RING_SECONDS.min}, got ${ringSeconds}`,
		);
	}
	const callerId = optionalString(args, 'callerId');
	return {
		destination,
		ringSeconds,
		callerId: callerId === undefined ? undefined : checkCallerId(callerId),
		announcement: optionalString(args, 'announcement'),
	};
}

export interface TransferInput extends CallRef {
	twiml: string;
	destination: string;
}

export const transferCall: CommandDefinition<TransferInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'transfer_call',
	displayName: 'Transfer Call',
	description: 'Move a live call to a number, SIP address or client (cold transfer)',
	arguments: [
		...callArgument,
		{
			name: 'phoneNumber',
			type: 'string',
			required: true,
			description: 'Where to transfer: E.164 number, sip: address or client:identity',
		},
		{
			name: 'waitForTransferSeconds',
			type: 'number',
			required: false,
			description: 'How long the new party may ring (5-600, Twilio default 30)',
		},
		{
			name: 'callerId',
			type: 'string',
			required: false,
			description: 'Caller ID shown to the new party (E.164)',
		},
		{
			name: 'announcement',
			type: 'string',
			required: false,
			description: 'Said to the caller before the transfer',
		},
		{ name: 'voice', type: 'string', required: false, description: 'Voice of the announcement' },
		{
			name: 'language',
			type: 'string',
			required: false,
			description: 'Language of the announcement',
		},
	],
	properties: [
		callSidProperty,
		{
			displayName: 'Transfer To',
			name: 'phoneNumber',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. +16507000000',
			description: 'An E.164 number, a SIP address (sip:…) or a Voice SDK client (client:identity)',
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Announcement',
					name: 'announcement',
					type: 'string',
					default: '',
					placeholder: 'e.g. Transferring you now',
					description: 'Said to the caller before dialing',
				},
				{
					displayName: 'Caller ID',
					name: 'callerId',
					type: 'string',
					default: '',
					placeholder: 'e.g. +16505550100',
					description: "Caller ID shown to the new party; by default the caller's",
				},
				{
					displayName: 'Language',
					name: 'language',
					type: 'string',
					default: '',
					placeholder: 'e.g. en-US',
					description: 'Language of the announcement',
				},
				{
					displayName: 'Voice',
					name: 'voice',
					type: 'string',
					default: '',
					placeholder: 'e.g. Polly.Joanna',
					description: 'Voice of the announcement',
				},
				{
					displayName: 'Wait for Transfer (Seconds)',
					name: 'waitForTransferSeconds',
					type: 'number',
					typeOptions: { minValue: TRANSFER_RING_SECONDS.min, maxValue: TRANSFER_RING_SECONDS.max },
					default: 30,
					description:
						'How long the new party may ring before the transfer gives up and the call ends',
				},
			],
		},
	],
	validate(args) {
		const { callSid } = readCallSid(args);
		const target = readTransferTarget(args);
		const twiml = transferTwiml(target, {
			voice: optionalString(args, 'voice'),
			language: optionalString(args, 'language'),
		});
		return { callSid, destination: target.destination, twiml };
	},
	async run(context, { callSid, destination, twiml }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const call = await redirectCall(client, callSid, twiml);
		return {
			status: 'completed',
			externalId: callSid,
			result: { ...callSummary(call), transferredTo: destination, twiml },
		};
	},
};

export interface DigitsInput extends CallRef {
	twiml: string;
}

export const sendDigits: CommandDefinition<DigitsInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'send_digits',
	displayName: 'Send Digits',
	description: 'Play DTMF tones into a live call, e.g. to work an IVR menu',
	arguments: [
		...callArgument,
		{
			name: 'digits',
			type: 'string',
			required: true,
			description: '0-9, A-D, #, *; w waits half a second, W a second',
		},
		{
			name: 'continueUrl',
			type: 'string',
			required: false,
			description: 'TwiML URL the call continues with after the tones; without it the call ends',
		},
	],
	properties: [
		callSidProperty,
		{
			displayName: 'Digits',
			name: 'digits',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. ww1234#',
			description: '0-9, A-D, # and *; w waits half a second, W a second',
		},
		{
			displayName: 'Continue With URL',
			name: 'continueUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/twiml/rejoin',
			description:
				'Twilio plays the tones by replacing what the call is doing: TwiML at this URL says what happens next (e.g. rejoin the conference). Without it the call ends after the tones.',
		},
	],
	validate(args) {
		const { callSid } = readCallSid(args);
		const digits = optionalDigits(args, 'digits');
		if (digits === undefined)
			throw new ArgumentError('digits', 'is required', 'Give the DTMF tones to play, e.g. 1234#');
		return { callSid, twiml: digitsTwiml(digits, optionalHttpUrl(args, 'continueUrl')) };
	},
	async run(context, { callSid, twiml }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const call = await redirectCall(client, callSid, twiml);
		return { status: 'completed', externalId: callSid, result: { ...callSummary(call), twiml } };
	},
};
