import type { CommandDefinition } from '../../../commands/types';
import {
	PARTICIPANT_ALIASES,
	participantConferenceProperty,
	participantProperty,
	readParticipant,
	runParticipantUpdate,
	type ParticipantUpdate,
} from '../conference';
import { VOICE_INTEGRATION } from '../constants';

export const unholdParticipant: CommandDefinition<ParticipantUpdate> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'unhold_participant',
	aliases: ['UnholdCall', 'UnholdParticipant'],
	displayName: 'Unhold Participant',
	description: 'Take a conference participant off hold',
	properties: [participantProperty, participantConferenceProperty],
	sendCommandAliases: PARTICIPANT_ALIASES,
	validate: (args) => ({ ...readParticipant(args), form: { Hold: 'false' } }),
	run: runParticipantUpdate,
};
