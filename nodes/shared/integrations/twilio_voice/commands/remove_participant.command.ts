import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { deleteParticipant } from '../api';
import {
	conferenceProperty,
	participantProperty,
	readParticipant,
	type ParticipantRef,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';

export const removeParticipant: CommandDefinition<ParticipantRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'remove_participant',
	displayName: 'Remove Participant',
	description: "Remove a participant from a conference, which ends that participant's call",
	properties: [conferenceProperty, participantProperty],
	validate: readParticipant,
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		await deleteParticipant(client, input.conferenceSid, input.participant);
		return {
			status: 'completed',
			externalId: input.participant,
			result: { conferenceSid: input.conferenceSid, participant: input.participant, removed: true },
		};
	},
};
