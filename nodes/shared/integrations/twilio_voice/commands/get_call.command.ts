import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { callSummary, fetchCall } from '../api';
import { callSidProperty, readCallSid, type CallRef } from '../callArguments';
import { VOICE_INTEGRATION } from '../constants';

export const getCall: CommandDefinition<CallRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'get_call',
	displayName: 'Get Call',
	description: 'Read a call: its status, duration and parties',
	properties: [callSidProperty],
	validate: readCallSid,
	async run(context, { callSid }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		return {
			status: 'completed',
			externalId: callSid,
			result: callSummary(await fetchCall(client, callSid)),
		};
	},
};
