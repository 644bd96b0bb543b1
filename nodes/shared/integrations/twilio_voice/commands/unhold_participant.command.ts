import type { CommandDefinition } from '../../../commands/types';
import {
	conferenceProperty,
	participantProperty,
	readParticipant,
	runParticipantUpdate,
	type ParticipantUpdate,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';

export const unholdParticipant: CommandDefinition<ParticipantUpdate> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'unhold_participant',
	displayName: 'Unhold Participant',
	description: 'Take a conference participant off hold',
	properties: [conferenceProperty, participantProperty],
	validate: (args) => ({ ...readParticipant(args), form: { Hold: 'false' } }),
	run: runParticipantUpdate,
};
