import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject } from '../../store/types';
import { createTwilioClient, type TwilioClient } from '../../transport/twilio';
import { requiredString } from '../arguments';
import { ArgumentError } from '../errors';
import type { CommandArguments, CommandDefinition } from '../types';
import { VOICE_INTEGRATION } from './makeCall';

const CALL_SID = /^CA[0-9a-fA-F]{32}$/;
/** A call Twilio has not connected yet: it is stopped with `canceled`, a live one with `completed`. */
const NOT_YET_ANSWERED = new Set(['queued', 'ringing']);

export interface CallRef {
	callSid: string;
}

const callSidProperty: INodeProperties = {
	displayName: 'Call SID',
	name: 'callSid',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CA0123456789abcdef0123456789abcdef',
	description: 'The call, e.g. the callSid that Start Outbound Call output',
};

function readCallSid(args: CommandArguments): CallRef {
	const callSid = requiredString(args, 'callSid', 'The CA… SID of the call, e.g. from Start Outbound Call');
	if (!CALL_SID.test(callSid)) throw new ArgumentError('callSid', `must be a call SID (CA and 32 hex digits), got "${callSid}"`);
	return { callSid };
}

function callPath(callSid: string): string {
	return `/2010-04-01/Accounts/{AccountSid}/Calls/${encodeURIComponent(callSid)}.json`;
}

async function fetchCall(client: TwilioClient, callSid: string): Promise<JsonObject> {
	return await client.request<JsonObject>({ method: 'GET', path: callPath(callSid) });
}

function callSummary(call: JsonObject): JsonObject {
	return {
		callSid: call.sid ?? null,
		status: call.status ?? null,
		to: call.to ?? null,
		from: call.from ?? null,
		direction: call.direction ?? null,
		duration: call.duration ?? null,
		startTime: call.start_time ?? null,
		endTime: call.end_time ?? null,
	};
}

const callArgument = [{ name: 'callSid', type: 'string' as const, required: true, description: 'The call SID (CA…)' }];

export const stopCall: CommandDefinition<CallRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'stop_call',
	displayName: 'Hang Up',
	description: 'End a call: cancel it while it rings, complete it once answered',
	arguments: callArgument,
	properties: [callSidProperty],
	validate: readCallSid,
	async run(context, { callSid }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		const current = await fetchCall(client, callSid);
		const status = NOT_YET_ANSWERED.has(String(current.status)) ? 'canceled' : 'completed';
		const ended = await client.request<JsonObject>({ method: 'POST', path: callPath(callSid), form: { Status: status } });
		return { status: 'completed', externalId: callSid, result: { ...callSummary(ended), requested: status } };
	},
};

export const getCall: CommandDefinition<CallRef> = {
	integrationIdn: VOICE_INTEGRATION,
	commandIdn: 'get_call',
	displayName: 'Get Call',
	description: 'Read a call: its status, duration and parties',
	arguments: callArgument,
	properties: [callSidProperty],
	validate: readCallSid,
	async run(context, { callSid }) {
		const client = await createTwilioClient(context.functions, context.itemIndex);
		return { status: 'completed', externalId: callSid, result: callSummary(await fetchCall(client, callSid)) };
	},
};
