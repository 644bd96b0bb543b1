/** What the conference commands share: reading the conference and participant, and changing a participant. */
import type { INodeProperties } from 'n8n-workflow';

import { optionalString, requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext, CommandOutcome } from '../../commands/types';
import type { JsonObject } from '../../store/types';
import { createTwilioClient, type TwilioClient } from '../../transport/twilio';
import { listParticipants, liveConferences, updateParticipant } from './api';

const CONFERENCE_SID = /^CF[0-9a-fA-F]{32}$/;
const CALL_SID = /^CA[0-9a-fA-F]{32}$/;

export interface ConferenceRef {
	conferenceSid: string;
}

/**
 * Twilio names a participant by its call SID or by the label it joined with.
 * Without a conference SID the participant is a call SID and its conference
 * is looked up when the command runs (findConferenceOf).
 */
export interface ParticipantRef {
	conferenceSid?: string;
	participant: string;
}

/** The seed's names for the participant: HoldCall's participantCallSid, HoldParticipant's targetSid. */
export const PARTICIPANT_ALIASES: Record<string, string> = {
	participantCallSid: 'participant',
	targetSid: 'participant',
};

/** A change to a participant, as Twilio's form fields (Hold, HoldUrl …). */
export interface ParticipantUpdate extends ParticipantRef {
	form: Record<string, string | undefined>;
}

export function readConference(args: CommandArguments): ConferenceRef {
	const conferenceSid = requiredString(
		args,
		'conferenceSid',
		'The CF… SID of the conference, e.g. from a Twilio conference status callback',
	);
	if (!CONFERENCE_SID.test(conferenceSid)) {
		throw new ArgumentError(
			'conferenceSid',
			`must be a conference SID (CF and 32 hex digits), got "${conferenceSid}"`,
		);
	}
	return { conferenceSid };
}

export function readParticipant(args: CommandArguments): ParticipantRef {
	const participant = requiredString(
		args,
		'participant',
		"The participant's call SID (CA…) or its label",
	);
	if (optionalString(args, 'conferenceSid') !== undefined)
		return { ...readConference(args), participant };
	if (!CALL_SID.test(participant))
		throw new ArgumentError(
			'conferenceSid',
			`is required when the participant is a label ("${participant}"), not a call SID`,
			"Give the conference SID, or the participant's call SID (CA…) to find its conference",
		);
	return { participant };
}

/**
 * The conference in progress a call is a participant of, with its
 * participant record. Twilio has no lookup from a call to its conference,
 * so this lists the account's conferences in progress (one page, newest
 * first) and then the participants of each until the call is found: 1 + n
 * requests, made only when no conference SID was given.
 */
export async function conferenceOfCall(
	client: TwilioClient,
	callSid: string,
): Promise<{ conference: JsonObject; participant: JsonObject } | undefined> {
	for (const conference of await liveConferences(client)) {
		const participants = await listParticipants(client, String(conference.sid));
		const participant = participants.find((candidate) => candidate.call_sid === callSid);
		if (participant !== undefined) return { conference, participant };
	}
	return undefined;
}

/** The conference SID of the call's conference; an error naming `field` when it is in none. */
export async function findConferenceOf(
	client: TwilioClient,
	callSid: string,
	field = 'participant',
): Promise<string> {
	const found = await conferenceOfCall(client, callSid);
	if (found === undefined)
		throw new ArgumentError(
			field,
			`is not in any conference in progress: ${callSid}`,
			'Give the conference SID, or the call SID of a participant of a live conference',
		);
	return String(found.conference.sid);
}

/** The participant's conference SID: the one given, else found from its call SID. */
export async function conferenceOf(client: TwilioClient, ref: ParticipantRef): Promise<string> {
	return ref.conferenceSid ?? (await findConferenceOf(client, ref.participant));
}

export const conferenceProperty: INodeProperties = {
	displayName: 'Conference SID',
	name: 'conferenceSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CF0123456789abcdef0123456789abcdef',
	description: 'The conference, e.g. the ConferenceSid of a Twilio conference status callback',
};

/** The conference of a participant operation: optional, found from the participant's call SID. */
export const participantConferenceProperty: INodeProperties = {
	...conferenceProperty,
	required: false,
	description:
		"The conference (CF…). Empty: the conference in progress the participant's call is in, found by listing the account's live conferences.",
};

export const participantProperty: INodeProperties = {
	displayName: 'Participant',
	name: 'participant',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CA0123456789abcdef0123456789abcdef',
	description: "The participant's call SID, or the label it joined the conference with",
};

export function participantSummary(participant: JsonObject): JsonObject {
	return {
		conferenceSid: participant.conference_sid ?? null,
		callSid: participant.call_sid ?? null,
		label: participant.label ?? null,
		status: participant.status ?? null,
		hold: participant.hold ?? null,
		muted: participant.muted ?? null,
	};
}

/** The run of hold and unhold: the participant changed as the form says. */
export async function runParticipantUpdate(
	context: CommandContext,
	input: ParticipantUpdate,
): Promise<CommandOutcome> {
	const client = await createTwilioClient(context.functions, context.itemIndex);
	const updated = await updateParticipant(
		client,
		await conferenceOf(client, input),
		input.participant,
		input.form,
	);
	return {
		status: 'completed',
		externalId: String(updated.call_sid ?? input.participant),
		result: participantSummary(updated),
	};
}
