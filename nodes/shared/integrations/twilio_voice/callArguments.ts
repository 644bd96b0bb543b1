/** Reading the arguments the voice commands share: calls, destinations, caller IDs, digits, speech. */
import type { INodeProperties } from 'n8n-workflow';

import {
	optionalList,
	optionalPositiveNumber,
	optionalString,
	requiredString,
} from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import { addressPattern, E164 } from '../twilio/addresses';
import type { SpeechOptions, TransferTarget } from './twiml';

/** Where Twilio can place a call: a phone number, a SIP address or a Voice SDK client. */
const DESTINATION = addressPattern(String.raw`sips?:\S+@\S+`, 'client:[A-Za-z0-9_.-]+');
/** DTMF Twilio can play: digits, A-D, # and *, with w (half a second) and W (a second) as pauses. */
const DIGITS = /^[0-9A-D#*wW]{1,32}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** Twilio's `<Dial timeout>` range. */
export const TRANSFER_RING_SECONDS = { min: 5, max: 600 };

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

/** Where a transfer goes, as transfer_call and Reply to Call ask for it. */
export const transferToProperty: INodeProperties = {
	displayName: 'Transfer To',
	name: 'phoneNumber',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. +16507000000',
	description: 'An E.164 number, a SIP address (sip:…) or a Voice SDK client (client:identity)',
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

/** Whether Twilio can place a call to `text`: an E.164 number, a SIP address or client:identity. */
export function isDestination(text: string): boolean {
	return DESTINATION.test(text);
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

/** A list whose every item is one of `allowed`; undefined when empty. */
export function optionalListOf(
	args: CommandArguments,
	name: string,
	allowed: string[],
): string[] | undefined {
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

export function readSpeech(args: CommandArguments): SpeechOptions {
	return { voice: optionalString(args, 'voice'), language: optionalString(args, 'language') };
}

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
