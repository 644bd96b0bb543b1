import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { deleteParticipant, listParticipants, updateParticipant } from '../api';
import {
	conferenceOf,
	PARTICIPANT_ALIASES,
	participantConferenceProperty,
	participantProperty,
	readParticipant,
	type ParticipantRef,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';
import { unholdOthers } from '../warmTransfer';

export const completeWarmTransfer: CommandDefinition<ParticipantRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'complete_warm_transfer',
	displayName: 'Complete Warm Transfer',
	description: 'Drop the agent from the conference; the caller and the transfer target stay',
	properties: [
		{
			...participantProperty,
			displayName: 'Agent',
			description: "The agent's call SID in the conference (CA…), or the label it joined with",
		},
		participantConferenceProperty,
	],
	sendCommandAliases: PARTICIPANT_ALIASES,
	validate: readParticipant,
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const conferenceSid = await conferenceOf(client, input);
		const unheld = await unholdOthers(client, conferenceSid, input.participant);
		// Contact-center agents often join with endConferenceOnExit, which would end the call for everyone.
		await updateParticipant(client, conferenceSid, input.participant, {
			EndConferenceOnExit: 'false',
		});
		await deleteParticipant(client, conferenceSid, input.participant);
		const remaining = (await listParticipants(client, conferenceSid)).map((participant) =>
			String(participant.call_sid),
		);
		return {
			status: 'completed',
			externalId: conferenceSid,
			result: { conferenceSid, agentRemoved: input.participant, unheld, remaining },
		};
	},
};
