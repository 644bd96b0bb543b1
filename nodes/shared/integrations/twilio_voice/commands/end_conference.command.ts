import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { updateConference } from '../api';
import { conferenceProperty, readConference, type ConferenceRef } from '../conference';
import { VOICE_INTEGRATION } from '../constants';

export const endConference: CommandDefinition<ConferenceRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'end_conference',
	aliases: ['EndConferenceForAll'],
	displayName: 'End Conference',
	description: 'End a conference for every participant',
	properties: [conferenceProperty],
	validate: readConference,
	async run(context, input) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const ended = await updateConference(client, input.conferenceSid, { Status: 'completed' });
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
