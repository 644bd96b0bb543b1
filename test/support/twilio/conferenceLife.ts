/**
 * A conference's life as Twilio runs it: participants dialed in, calls that
 * leave (kicked, hung up, or given new TwiML) or join (TwiML with
 * `<Conference>`), and the conference ending when a participant with
 * endConferenceOnExit leaves or the last one does. Also the list requests.
 */
import { conferenceResource, participantResource } from './conferences';
import { booleanParam, first } from './params';
import { FINAL_CALL_STATUSES, type ConferenceState, type ParticipantState } from './state';
import type { TwilioServer } from './server';
import type { TwilioContext, TwilioHandler, TwilioReply } from './types';
import { notFound, twilioError } from './wire';

/** One page holding every match: the stand-in keeps few resources. */
function page(context: TwilioContext, key: string, items: unknown[]): Record<string, unknown> {
	const uri = context.request.url;
	return context.server.shape(context.operation, {
		[key]: items,
		start: 0,
		end: Math.max(0, items.length - 1),
		page: 0,
		page_size: 50,
		uri,
		first_page_uri: uri,
		next_page_uri: null,
		previous_page_uri: null,
	});
}

/** A resource as a fetch of it answers, for the items of a list. */
function asFetched(context: TwilioContext, fetchOperationId: string): TwilioContext {
	const operation = context.server.operation(fetchOperationId);
	if (operation === undefined) throw new Error(`No operation ${fetchOperationId}`);
	return { ...context, operation };
}

function endConference(
	server: TwilioServer,
	conference: ConferenceState,
	reason: NonNullable<ConferenceState['reasonEnded']>,
): void {
	conference.status = 'completed';
	conference.reasonEnded = reason;
	conference.updatedAt = new Date();
	for (const other of server.participants.get(conference.sid)?.values() ?? []) {
		const call = server.calls.get(other.callSid);
		if (call && !FINAL_CALL_STATUSES.has(call.status)) server.setCallStatus(call.sid, 'completed');
	}
	server.participants.get(conference.sid)?.clear();
}

/** The participant leaves; the conference ends if it said so on exit, or if nobody is left. */
export function leaveConference(
	server: TwilioServer,
	participant: ParticipantState,
	how: 'left' | 'kicked',
): void {
	const inConference = server.participants.get(participant.conferenceSid);
	inConference?.delete(participant.callSid);
	const conference = server.conferences.get(participant.conferenceSid);
	if (conference === undefined || conference.status === 'completed') return;
	if (participant.endConferenceOnExit)
		endConference(server, conference, `participant-with-end-conference-on-exit-${how}`);
	else if ((inConference?.size ?? 0) === 0)
		endConference(server, conference, `last-participant-${how}`);
}

/** A call given new TwiML or ended leaves every conference it is in. */
export function callLeavesConferences(server: TwilioServer, callSid: string): void {
	for (const inConference of server.participants.values()) {
		const participant = inConference.get(callSid);
		if (participant !== undefined) leaveConference(server, participant, 'left');
	}
}

/** TwiML with `<Dial><Conference>name</Conference></Dial>` takes the call into the live conference of that name. */
export function joinConferenceOfTwiml(server: TwilioServer, callSid: string, twiml: string): void {
	const match = /<Conference([^>]*)>([^<]+)<\/Conference>/.exec(twiml);
	if (match === null) return;
	const [, attributes, name] = match;
	const conference = [...server.conferences.values()].find(
		(candidate) => candidate.friendlyName === name && candidate.status !== 'completed',
	);
	const flag = (attribute: string) => new RegExp(`${attribute}="true"`).test(attributes);
	server.addParticipant(conference?.sid ?? server.addConference({ friendlyName: name }).sid, {
		callSid,
		muted: flag('muted'),
		endConferenceOnExit: flag('endConferenceOnExit'),
	});
}

export const CONFERENCE_LIFE_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	ListConference: (context) => {
		const status = first(context.request.query, 'Status');
		const friendlyName = first(context.request.query, 'FriendlyName');
		const fetched = asFetched(context, 'FetchConference');
		const conferences = [...context.server.conferences.values()]
			.filter((conference) => status === undefined || conference.status === status)
			.filter(
				(conference) => friendlyName === undefined || conference.friendlyName === friendlyName,
			)
			.reverse()
			.map((conference) => conferenceResource(fetched, conference));
		return { status: 200, body: page(context, 'conferences', conferences) };
	},

	ListParticipant: (context) => {
		const inConference = context.server.participants.get(context.pathParams.ConferenceSid ?? '');
		if (!context.server.conferences.has(context.pathParams.ConferenceSid ?? ''))
			return notFound(context.request.path);
		const fetched = asFetched(context, 'FetchParticipant');
		const participants = [...(inConference?.values() ?? [])]
			.filter((participant) => {
				const hold = booleanParam(context.request.query, 'Hold');
				const muted = booleanParam(context.request.query, 'Muted');
				return (
					(hold === undefined || participant.hold === hold) &&
					(muted === undefined || participant.muted === muted)
				);
			})
			.map((participant) => participantResource(fetched, participant));
		return { status: 200, body: page(context, 'participants', participants) };
	},

	/** Dials To from From into the conference; the callee answers at once (the stand-in's calls do). */
	CreateParticipant: (context): TwilioReply => {
		const conference = context.server.conferences.get(context.pathParams.ConferenceSid ?? '');
		if (conference === undefined || conference.status === 'completed')
			return twilioError(
				404,
				20404,
				`Conference ${context.pathParams.ConferenceSid} is not in progress`,
			);
		const { params } = context;
		const call = context.server.addCall({
			to: first(params, 'To') ?? '',
			from: first(params, 'From') ?? '',
			direction: 'outbound-api',
			createParams: params,
		});
		const participant = context.server.addParticipant(conference.sid, {
			callSid: call.sid,
			label: first(params, 'Label') ?? null,
			muted: booleanParam(params, 'Muted') ?? false,
			endConferenceOnExit: booleanParam(params, 'EndConferenceOnExit') ?? false,
			startConferenceOnEnter: booleanParam(params, 'StartConferenceOnEnter') ?? true,
			updates: [params],
		});
		return { status: 201, body: participantResource(context, participant) };
	},
};
