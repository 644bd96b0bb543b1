/** What the conference commands share: reading the conference and participant, and changing a participant. */
import type { INodeProperties } from 'n8n-workflow';

import { requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandContext, CommandOutcome } from '../../commands/types';
import type { JsonObject } from '../../store/types';
import { createTwilioClient } from '../../transport/twilio';
import { updateParticipant } from './api';

const CONFERENCE_SID = /^CF[0-9a-fA-F]{32}$/;

export interface ConferenceRef {
	conferenceSid: string;
}

/** Twilio names a participant by its call SID or by the label it joined with. */
export interface ParticipantRef extends ConferenceRef {
	participant: string;
}

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
	const conference = readConference(args);
	return {
		...conference,
		participant: requiredString(
			args,
			'participant',
			"The participant's call SID (CA…) or its label",
		),
	};
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

export const participantProperty: INodeProperties = {
	displayName: 'Participant',
	name: 'participant',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CA0123456789abcdef0123456789abcdef',
	description: "The participant's call SID, or the label it joined the conference with",
};

function participantSummary(participant: JsonObject): JsonObject {
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
		input.conferenceSid,
		input.participant,
		input.form,
	);
	return {
		status: 'completed',
		externalId: String(updated.call_sid ?? input.participant),
		result: participantSummary(updated),
	};
}
