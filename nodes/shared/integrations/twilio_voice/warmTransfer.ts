/**
 * Warm transfers in a conference: the target is dialed into the caller's
 * conference while the agent stays (start), then the agent leaves and the
 * caller and target go on (complete), or the target is dropped (cancel).
 */
import type { INodeProperties } from 'n8n-workflow';

import { optionalBoolean, optionalString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext } from '../../commands/types';
import type { JsonObject } from '../../store/types';
import { twilioDefaults, type TwilioClient } from '../../transport/twilio';
import { createParticipant, listParticipants, updateParticipant } from './api';
import { checkCallerId, TRANSFER_RING_SECONDS } from './callArguments';

/** The label a transfer target joins with, so that it can be named without its call SID. */
export const TRANSFER_LABEL = 'transfer';

/** The options Start Warm Transfer and Transfer Task share: the target's caller ID, label and ring time. */
export function transferTargetOptions(descriptions: {
	callerId: string;
	label: string;
	ringSeconds: string;
}): INodeProperties[] {
	return [
		{
			displayName: 'Caller ID',
			name: 'callerId',
			type: 'string',
			default: '',
			placeholder: 'e.g. +16505550100',
			description: descriptions.callerId,
		},
		{
			displayName: 'Label',
			name: 'label',
			type: 'string',
			default: TRANSFER_LABEL,
			description: descriptions.label,
		},
		{
			displayName: 'Wait for Transfer (Seconds)',
			name: 'waitForTransferSeconds',
			type: 'number',
			typeOptions: { minValue: TRANSFER_RING_SECONDS.min, maxValue: TRANSFER_RING_SECONDS.max },
			default: 30,
			description: descriptions.ringSeconds,
		},
	];
}

export interface WarmTarget {
	destination: string;
	ringSeconds?: number;
	/** Empty until completeTransferCallerId takes the credential's Default Caller ID. */
	callerId?: string;
	label: string;
}

export function readWarmOptions(args: CommandArguments): { label: string; holdCaller: boolean } {
	return {
		label: optionalString(args, 'label') ?? TRANSFER_LABEL,
		holdCaller: optionalBoolean(args, 'holdCaller') ?? false,
	};
}

/** Twilio dials a participant from a number of the account: the one given, else the credential's Default Caller ID. */
export async function completeTransferCallerId(
	context: CommandContext,
	target: WarmTarget,
): Promise<void> {
	if (target.callerId !== undefined) return;
	const { defaultCallerId } = await twilioDefaults(context.functions, context.itemIndex);
	if (defaultCallerId === undefined)
		throw new ArgumentError(
			'callerId',
			'is required to dial the transfer target: set Caller ID, or Default Caller ID on the Twilio credential',
		);
	target.callerId = checkCallerId(defaultCallerId);
}

/** Dials the target into the conference; the agent and the caller stay. */
export async function addTransferTarget(
	client: TwilioClient,
	conferenceSid: string,
	target: WarmTarget,
): Promise<JsonObject> {
	return await createParticipant(client, conferenceSid, {
		From: target.callerId,
		To: target.destination,
		Label: target.label,
		Timeout: target.ringSeconds,
		EarlyMedia: true,
		// The target must not end the conference when it hangs up during the consultation.
		EndConferenceOnExit: false,
	});
}

/** Takes every other participant of the conference off hold; their call SIDs. */
export async function unholdOthers(
	client: TwilioClient,
	conferenceSid: string,
	except: string,
): Promise<string[]> {
	const held = (await listParticipants(client, conferenceSid)).filter(
		(participant) =>
			participant.hold === true && participant.call_sid !== except && participant.label !== except,
	);
	for (const participant of held)
		await updateParticipant(client, conferenceSid, String(participant.call_sid), { Hold: 'false' });
	return held.map((participant) => String(participant.call_sid));
}
