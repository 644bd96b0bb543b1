/** Conferences and their participants: kept in memory, answered as the spec's resources, fetched, updated (ended, held, muted, coached) and removed. */
import { accountPath, resourceBase } from './account';
import { booleanParam, first } from './params';
import { FINAL_CALL_STATUSES, type ConferenceState, type ParticipantState } from './state';
import type { TwilioServer } from './server';
import type { TwilioContext, TwilioHandler, TwilioReply } from './types';
import { leaveConference } from './conferenceLife';
import { notFound, rfc2822, twilioSid } from './wire';

export function addConferenceTo(
	server: TwilioServer,
	conference: Partial<ConferenceState>,
): ConferenceState {
	const now = new Date();
	const state: ConferenceState = {
		sid: twilioSid('CF'),
		friendlyName: 'Test conference',
		status: 'in-progress',
		createdAt: now,
		updatedAt: now,
		...conference,
	};
	server.conferences.set(state.sid, state);
	server.participants.set(state.sid, server.participants.get(state.sid) ?? new Map());
	return state;
}

/** A participant (and its call, unless `callSid` names one) in a conference that is added if missing. */
export function addParticipantTo(
	server: TwilioServer,
	conferenceSid: string,
	participant: Partial<ParticipantState>,
): ParticipantState {
	if (!server.conferences.has(conferenceSid)) server.addConference({ sid: conferenceSid });
	const callSid = participant.callSid ?? server.addCall().sid;
	const now = new Date();
	const state: ParticipantState = {
		conferenceSid,
		callSid,
		label: null,
		muted: false,
		hold: false,
		coaching: false,
		callSidToCoach: null,
		endConferenceOnExit: false,
		startConferenceOnEnter: true,
		status: 'connected',
		createdAt: now,
		updatedAt: now,
		updates: [],
		...participant,
	};
	server.participants.get(conferenceSid)?.set(callSid, state);
	return state;
}

export function findParticipant(
	server: TwilioServer,
	conferenceSid: string,
	callSidOrLabel: string,
): ParticipantState | undefined {
	const inConference = server.participants.get(conferenceSid);
	if (inConference === undefined) return undefined;
	return (
		inConference.get(callSidOrLabel) ??
		[...inConference.values()].find((p) => p.label === callSidOrLabel)
	);
}

export function conferenceResource(
	context: TwilioContext,
	conference: ConferenceState,
): Record<string, unknown> {
	const { base, fields } = resourceBase(context, 'Conferences', conference);
	return context.server.shape(context.operation, {
		...fields,
		friendly_name: conference.friendlyName,
		status: conference.status,
		region: 'us1',
		reason_conference_ended: conference.reasonEnded,
		subresource_uris: {
			participants: `${base}/Participants.json`,
			recordings: `${base}/Recordings.json`,
		},
	});
}

export function participantResource(
	context: TwilioContext,
	participant: ParticipantState,
): Record<string, unknown> {
	return context.server.shape(context.operation, {
		account_sid: context.server.accountSid,
		call_sid: participant.callSid,
		conference_sid: participant.conferenceSid,
		label: participant.label,
		muted: participant.muted,
		hold: participant.hold,
		coaching: participant.coaching,
		call_sid_to_coach: participant.callSidToCoach,
		end_conference_on_exit: participant.endConferenceOnExit,
		start_conference_on_enter: participant.startConferenceOnEnter,
		status: participant.status,
		queue_time: '0',
		date_created: rfc2822(participant.createdAt),
		date_updated: rfc2822(participant.updatedAt),
		uri: `${accountPath(context.server)}/Conferences/${participant.conferenceSid}/Participants/${participant.callSid}.json`,
	});
}

function withConference(
	context: TwilioContext,
	then: (conference: ConferenceState) => TwilioReply,
): TwilioReply {
	const conference = context.server.conferences.get(context.pathParams.Sid ?? '');
	return conference === undefined ? notFound(context.request.path) : then(conference);
}

function withParticipant(
	context: TwilioContext,
	then: (participant: ParticipantState) => TwilioReply,
): TwilioReply {
	const participant = context.server.participant(
		context.pathParams.ConferenceSid ?? '',
		context.pathParams.CallSid ?? '',
	);
	return participant === undefined ? notFound(context.request.path) : then(participant);
}

export const CONFERENCE_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	FetchConference: (context) =>
		withConference(context, (conference) => ({
			status: 200,
			body: conferenceResource(context, conference),
		})),

	UpdateConference: (context) =>
		withConference(context, (conference) => {
			const announceUrl = first(context.params, 'AnnounceUrl');
			if (announceUrl !== undefined) conference.announceUrl = announceUrl;
			if (first(context.params, 'Status') === 'completed' && conference.status !== 'completed') {
				conference.status = 'completed';
				conference.reasonEnded = 'conference-ended-via-api';
				for (const participant of context.server.participants.get(conference.sid)?.values() ?? []) {
					const call = context.server.calls.get(participant.callSid);
					if (call && !FINAL_CALL_STATUSES.has(call.status))
						context.server.setCallStatus(call.sid, 'completed');
				}
				context.server.participants.get(conference.sid)?.clear();
			}
			conference.updatedAt = new Date();
			return { status: 200, body: conferenceResource(context, conference) };
		}),

	FetchParticipant: (context) =>
		withParticipant(context, (participant) => ({
			status: 200,
			body: participantResource(context, participant),
		})),

	UpdateParticipant: (context) =>
		withParticipant(context, (participant) => {
			const { params } = context;
			participant.updates.push(params);
			participant.hold = booleanParam(params, 'Hold') ?? participant.hold;
			participant.muted = booleanParam(params, 'Muted') ?? participant.muted;
			participant.coaching = booleanParam(params, 'Coaching') ?? participant.coaching;
			participant.endConferenceOnExit =
				booleanParam(params, 'EndConferenceOnExit') ?? participant.endConferenceOnExit;
			participant.callSidToCoach = first(params, 'CallSidToCoach') ?? participant.callSidToCoach;
			participant.holdUrl = first(params, 'HoldUrl') ?? participant.holdUrl;
			participant.holdMethod = first(params, 'HoldMethod') ?? participant.holdMethod;
			participant.updatedAt = new Date();
			return { status: 200, body: participantResource(context, participant) };
		}),

	DeleteParticipant: (context) =>
		withParticipant(context, (participant) => {
			leaveConference(context.server, participant, 'kicked');
			const call = context.server.calls.get(participant.callSid);
			if (call && !FINAL_CALL_STATUSES.has(call.status))
				context.server.setCallStatus(call.sid, 'completed');
			return { status: 204 };
		}),
};
