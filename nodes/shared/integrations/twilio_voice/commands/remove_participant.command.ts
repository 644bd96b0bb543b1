import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { deleteParticipant } from '../api';
import {
	conferenceOf,
	PARTICIPANT_ALIASES,
	participantConferenceProperty,
	participantProperty,
	readParticipant,
	type ParticipantRef,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';

export const removeParticipant: CommandDefinition<ParticipantRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'remove_participant',
	aliases: ['KickParticipant'],
	displayName: 'Remove Participant',
	description: "Remove a participant from a conference, which ends that participant's call",
	properties: [participantProperty, participantConferenceProperty],
	sendCommandAliases: PARTICIPANT_ALIASES,
	validate: readParticipant,
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const conferenceSid = await conferenceOf(client, input);
		await deleteParticipant(client, conferenceSid, input.participant);
		return {
			status: 'completed',
			externalId: input.participant,
			result: { conferenceSid, participant: input.participant, removed: true },
		};
	},
};
