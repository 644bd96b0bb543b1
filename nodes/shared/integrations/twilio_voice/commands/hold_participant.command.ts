import { optionalHttpUrl, optionalString } from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
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

const HOLD_METHODS = ['GET', 'POST'];

export const holdParticipant: CommandDefinition<ParticipantUpdate> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'hold_participant',
	aliases: ['HoldCall', 'HoldParticipant'],
	displayName: 'Hold Participant',
	description: 'Put a conference participant on hold, with hold music',
	properties: [
		participantProperty,
		participantConferenceProperty,
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
	// The seed's names; the fields keep theirs so that saved workflows keep their hold music.
	sendCommandAliases: {
		...PARTICIPANT_ALIASES,
		holdMusicUrl: 'holdUrl',
		holdMusicMethod: 'holdMethod',
	},
	validate(args) {
		const participant = readParticipant(args);
		const holdMethod = optionalString(args, 'holdMethod')?.toUpperCase();
		if (holdMethod !== undefined && !HOLD_METHODS.includes(holdMethod)) {
			throw new ArgumentError('holdMethod', `must be GET or POST, got "${holdMethod}"`);
		}
		return {
			...participant,
			form: {
				Hold: 'true',
				HoldUrl: optionalHttpUrl(args, 'holdUrl'),
				HoldMethod: holdMethod,
			},
		};
	},
	run: runParticipantUpdate,
};
