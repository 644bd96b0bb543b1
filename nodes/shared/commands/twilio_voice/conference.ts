import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { createTwilioClient } from '../../transport/twilio';
import { optionalHttpUrl, optionalString, requiredString } from '../arguments';
import { ArgumentError } from '../errors';
import type {
	ArgumentSpec,
	CommandArguments,
	CommandContext,
	CommandDefinition,
	CommandOutcome,
} from '../types';
import { VOICE_INTEGRATION } from './makeCall';

const CONFERENCE_SID = /^CF[0-9a-fA-F]{32}$/;
const HOLD_METHODS = ['GET', 'POST'];

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

function readConference(args: CommandArguments): ConferenceRef {
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

function readParticipant(args: CommandArguments): ParticipantRef {
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

function conferencePath({ conferenceSid }: ConferenceRef): string {
	return `/2010-04-01/Accounts/{AccountSid}/Conferences/${conferenceSid}.json`;
}

function participantPath({ conferenceSid, participant }: ParticipantRef): string {
	return `/2010-04-01/Accounts/{AccountSid}/Conferences/${conferenceSid}/Participants/${encodeURIComponent(participant)}.json`;
}

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

async function updateParticipant(
	context: CommandContext,
	input: ParticipantUpdate,
): Promise<CommandOutcome> {
	const client = await createTwilioClient(context.functions, context.itemIndex);
	const updated = await client.request<JsonObject>({
		method: 'POST',
		path: participantPath(input),
		form: input.form,
	});
	return {
		status: 'completed',
		externalId: String(updated.call_sid ?? input.participant),
		result: participantSummary(updated),
	};
}

const conferenceProperty: INodeProperties = {
	displayName: 'Conference SID',
	name: 'conferenceSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CF0123456789abcdef0123456789abcdef',
	description: 'The conference, e.g. the ConferenceSid of a Twilio conference status callback',
};

const participantProperty: INodeProperties = {
	displayName: 'Participant',
	name: 'participant',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CA0123456789abcdef0123456789abcdef',
	description: "The participant's call SID, or the label it joined the conference with",
};

const conferenceArgument: ArgumentSpec = {
	name: 'conferenceSid',
	type: 'string',
	required: true,
	description: 'The conference SID (CF…)',
};
const participantArguments: ArgumentSpec[] = [
	conferenceArgument,
	{
		name: 'participant',
		type: 'string',
		required: true,
		description: "The participant's call SID (CA…) or label",
	},
];

export const holdParticipant: CommandDefinition<ParticipantUpdate> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'hold_participant',
	displayName: 'Hold Participant',
	description:
		'Put a conference participant on hold, with hold music (Flex HoldCall / HoldParticipant)',
	arguments: [
		...participantArguments,
		{
			name: 'holdUrl',
			type: 'string',
			required: false,
			description: 'Hold music: an MP3 / WAV or TwiML URL',
		},
		{ name: 'holdMethod', type: 'string', required: false, description: 'GET or POST for holdUrl' },
	],
	properties: [
		conferenceProperty,
		participantProperty,
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Hold Music Method',
					name: 'holdMethod',
					type: 'options',
					options: HOLD_METHODS.map((method) => ({ name: method, value: method })),
					default: 'GET',
					description: 'How Twilio fetches the hold music URL',
				},
				{
					displayName: 'Hold Music URL',
					name: 'holdUrl',
					type: 'string',
					default: '',
					placeholder: 'e.g. https://example.com/hold.mp3',
					description:
						"An MP3 or WAV file, or TwiML that plays, says or pauses; Twilio's default music otherwise",
				},
			],
		},
	],
	validate(args) {
		const participant = readParticipant(args);
		const holdMethod = optionalString(args, 'holdMethod')?.toUpperCase();
		if (holdMethod !== undefined && !HOLD_METHODS.includes(holdMethod)) {
			throw new ArgumentError('holdMethod', `must be GET or POST, got "${holdMethod}"`);
		}
		return {
			...participant,
			form: { Hold: 'true', HoldUrl: optionalHttpUrl(args, 'holdUrl'), HoldMethod: holdMethod },
		};
	},
	run: updateParticipant,
};

export const unholdParticipant: CommandDefinition<ParticipantUpdate> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'unhold_participant',
	displayName: 'Unhold Participant',
	description: 'Take a conference participant off hold (Flex UnholdCall / UnholdParticipant)',
	arguments: participantArguments,
	properties: [conferenceProperty, participantProperty],
	validate: (args) => ({ ...readParticipant(args), form: { Hold: 'false' } }),
	run: updateParticipant,
};

export const removeParticipant: CommandDefinition<ParticipantRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'remove_participant',
	displayName: 'Remove Participant',
	description:
		"Remove a participant from a conference, which ends that participant's call (Flex KickParticipant)",
	arguments: participantArguments,
	properties: [conferenceProperty, participantProperty],
	validate: readParticipant,
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		await client.request({ method: 'DELETE', path: participantPath(input) });
		return {
			status: 'completed',
			externalId: input.participant,
			result: { conferenceSid: input.conferenceSid, participant: input.participant, removed: true },
		};
	},
};

export const endConference: CommandDefinition<ConferenceRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'end_conference',
	displayName: 'End Conference',
	description: 'End a conference for every participant (Flex EndConferenceForAll)',
	arguments: [conferenceArgument],
	properties: [conferenceProperty],
	validate: readConference,
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const ended = await client.request<JsonObject>({
			method: 'POST',
			path: conferencePath(input),
			form: { Status: 'completed' },
		});
		return {
			status: 'completed',
			externalId: input.conferenceSid,
			result: {
				conferenceSid: ended.sid ?? input.conferenceSid,
				status: ended.status ?? null,
				friendlyName: ended.friendly_name ?? null,
				reasonEnded: ended.reason_conference_ended ?? null,
			},
		};
	},
};
