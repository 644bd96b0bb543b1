import type { CommandDefinition } from '../../../commands/types';
import { createTwilioClient } from '../../../transport/twilio';
import { callSummary, fetchCall, updateCall } from '../api';
import { callSidProperty, readCallSid, type CallRef } from '../callArguments';
import { VOICE_INTEGRATION } from '../constants';

/** A call Twilio has not connected yet: it is stopped with `canceled`, a live one with `completed`. */
const NOT_YET_ANSWERED = new Set(['queued', 'ringing']);

export const stopCall: CommandDefinition<CallRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'stop_call',
	aliases: ['HangupCall'],
	displayName: 'Hang Up',
	description: 'End a call: cancel it while it rings, complete it once answered',
	properties: [callSidProperty],
	validate: readCallSid,
	async run(context, { callSid }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const current = await fetchCall(client, callSid);
		const status = NOT_YET_ANSWERED.has(String(current.status)) ? 'canceled' : 'completed';
		const ended = await updateCall(client, callSid, { Status: status });
		return {
			status: 'completed',
			externalId: callSid,
			result: { ...callSummary(ended), requested: status },
		};
	},
};
