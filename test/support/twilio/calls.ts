/** Calls: kept in memory, answered as the spec's Call resource, created, fetched, updated (redirected, ended) and deleted. */
import { resourceBase } from './account';
import { callLeavesConferences, joinConferenceOfTwiml } from './conferenceLife';
import { first } from './params';
import { FINAL_CALL_STATUSES, type CallState, type CallStatus } from './state';
import type { TwilioServer } from './server';
import type { TwilioContext, TwilioHandler, TwilioReply } from './types';
import { notFound, rfc2822, twilioError, twilioSid } from './wire';

/** A call that exists before the test, e.g. an inbound one to control. */
export function addCallTo(server: TwilioServer, call: Partial<CallState>): CallState {
	const now = new Date();
	const state: CallState = {
		sid: twilioSid('CA'),
		to: '+15005550006',
		from: '+15005550001',
		status: 'in-progress',
		direction: 'inbound',
		createdAt: now,
		updatedAt: now,
		startedAt: now,
		createParams: {},
		updates: [],
		...call,
	};
	server.calls.set(state.sid, state);
	return state;
}

/** The call as Twilio would show it now: a queued call is answered `answerAfterMs` after creation. */
export function callAsNow(server: TwilioServer, sid: string): CallState | undefined {
	const call = server.calls.get(sid);
	const answerAfterMs = server.options.answerAfterMs ?? 0;
	if (call?.status === 'queued' && Date.now() - call.createdAt.getTime() >= answerAfterMs) {
		call.status = 'in-progress';
		call.startedAt = new Date();
		call.updatedAt = call.startedAt;
	}
	return call;
}

export function setStatusOfCall(server: TwilioServer, sid: string, status: CallStatus): void {
	const call = server.calls.get(sid);
	if (call === undefined) throw new Error(`No call ${sid}`);
	call.status = status;
	call.updatedAt = new Date();
	if (status === 'in-progress') call.startedAt ??= call.updatedAt;
	if (FINAL_CALL_STATUSES.has(status)) call.endedAt ??= call.updatedAt;
}

function callResource(context: TwilioContext, call: CallState): Record<string, unknown> {
	const { base, fields } = resourceBase(context, 'Calls', call);
	const duration =
		call.endedAt === undefined
			? null
			: String(
					Math.round((call.endedAt.getTime() - (call.startedAt ?? call.endedAt).getTime()) / 1000),
				);
	return context.server.shape(context.operation, {
		...fields,
		to: call.to,
		to_formatted: call.to,
		from: call.from,
		from_formatted: call.from,
		status: call.status,
		direction: call.direction,
		start_time: rfc2822(call.startedAt),
		end_time: rfc2822(call.endedAt),
		duration,
		price_unit: 'USD',
		queue_time: '0',
		subresource_uris: {
			notifications: `${base}/Notifications.json`,
			recordings: `${base}/Recordings.json`,
			payments: `${base}/Payments.json`,
			events: `${base}/Events.json`,
			siprec: `${base}/Siprec.json`,
			streams: `${base}/Streams.json`,
			transcriptions: `${base}/Transcriptions.json`,
			user_defined_message_subscriptions: `${base}/UserDefinedMessageSubscriptions.json`,
			user_defined_messages: `${base}/UserDefinedMessages.json`,
		},
	});
}

function withCall(context: TwilioContext, then: (call: CallState) => TwilioReply): TwilioReply {
	const call = context.server.call(context.pathParams.Sid ?? '');
	return call === undefined ? notFound(context.request.path) : then(call);
}

export const CALL_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	CreateCall: (context) => {
		const { params } = context;
		const now = new Date();
		const call: CallState = {
			sid: twilioSid('CA'),
			to: first(params, 'To') ?? '',
			from: first(params, 'From') ?? '',
			status: 'queued',
			direction: 'outbound-api',
			createdAt: now,
			updatedAt: now,
			twiml: first(params, 'Twiml'),
			url: first(params, 'Url'),
			createParams: params,
			updates: [],
		};
		context.server.calls.set(call.sid, call);
		return { status: 201, body: callResource(context, call) };
	},

	FetchCall: (context) =>
		withCall(context, (call) => ({ status: 200, body: callResource(context, call) })),

	UpdateCall: (context) =>
		withCall(context, (call) => {
			const { params } = context;
			const status = first(params, 'Status');
			const twiml = first(params, 'Twiml');
			const url = first(params, 'Url');
			if ((twiml !== undefined || url !== undefined) && call.status !== 'in-progress') {
				return twilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
			}
			call.updates.push(params);
			call.updatedAt = new Date();
			// New TwiML takes the call out of its conference (and maybe into another).
			if (twiml !== undefined || url !== undefined || status !== undefined)
				callLeavesConferences(context.server, call.sid);
			if (twiml !== undefined) [call.twiml, call.url] = [twiml, undefined];
			if (url !== undefined) [call.url, call.twiml] = [url, undefined];
			if (twiml !== undefined) joinConferenceOfTwiml(context.server, call.sid, twiml);
			// `canceled` only stops a call that has not been answered; `completed` ends it either way.
			if (status === 'canceled' && (call.status === 'queued' || call.status === 'ringing'))
				context.server.setCallStatus(call.sid, 'canceled');
			if (status === 'completed' && !FINAL_CALL_STATUSES.has(call.status))
				context.server.setCallStatus(call.sid, 'completed');
			return { status: 200, body: callResource(context, call) };
		}),

	DeleteCall: (context) =>
		withCall(context, (call) =>
			context.server.calls.delete(call.sid) ? { status: 204 } : notFound(context.request.path),
		),
};
