import { optionalBoolean } from '../../../commands/arguments';
import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { fetchParticipant, updateParticipant } from '../api';
import {
	conferenceOf,
	PARTICIPANT_ALIASES,
	participantConferenceProperty,
	participantProperty,
	participantSummary,
	readParticipant,
	type ParticipantRef,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';

export interface MuteInput extends ParticipantRef {
	/** Undefined: the opposite of what the participant is now (the seed's ToggleMute). */
	muted?: boolean;
}

export const muteParticipant: CommandDefinition<MuteInput> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'mute_participant',
	aliases: ['ToggleMute'],
	displayName: 'Mute Participant',
	description: 'Mute or unmute a participant',
	properties: [
		participantProperty,
		participantConferenceProperty,
		{
			displayName: 'Muted',
			name: 'muted',
			type: 'boolean',
			default: true,
			description:
				'Whether the participant is muted (others stop hearing them); turn off to unmute. Through Send Command, leaving it out toggles.',
		},
	],
	sendCommandAliases: PARTICIPANT_ALIASES,
	validate: (args) => ({ ...readParticipant(args), muted: optionalBoolean(args, 'muted') }),
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const conferenceSid = await conferenceOf(client, input);
		const muted =
			input.muted ??
			(await fetchParticipant(client, conferenceSid, input.participant)).muted !== true;
		const updated = await updateParticipant(client, conferenceSid, input.participant, {
			Muted: String(muted),
		});
		return {
			status: 'completed',
			externalId: String(updated.call_sid ?? input.participant),
			result: participantSummary(updated),
		};
	},
};
