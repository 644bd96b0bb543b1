/**
 * The Twilio Voice requests this integration makes (calls, conferences and
 * their participants), below the account root the transport owns.
 */
import type { JsonObject } from '../../store/types';
import { accountPath, type TwilioClient, type TwilioFormValue } from '../../transport/twilio';

type Form = Record<string, TwilioFormValue>;

function callPath(callSid: string): string {
	return accountPath(`/Calls/${encodeURIComponent(callSid)}.json`);
}

function conferencePath(conferenceSid: string): string {
	return accountPath(`/Conferences/${encodeURIComponent(conferenceSid)}.json`);
}

function participantPath(conferenceSid: string, participant: string): string {
	return accountPath(
		`/Conferences/${encodeURIComponent(conferenceSid)}/Participants/${encodeURIComponent(participant)}.json`,
	);
}

export async function createCall(client: TwilioClient, form: Form): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		path: accountPath('/Calls.json'),
		form,
	});
}

export async function fetchCall(client: TwilioClient, callSid: string): Promise<JsonObject> {
	return await client.request<JsonObject>({ method: 'GET', path: callPath(callSid) });
}

/** Changes a call: its Status (to end it) or its TwiML (Twilio refuses, 21220, when the call is not in progress). */
export async function updateCall(
	client: TwilioClient,
	callSid: string,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({ method: 'POST', path: callPath(callSid), form });
}

export async function updateConference(
	client: TwilioClient,
	conferenceSid: string,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		path: conferencePath(conferenceSid),
		form,
	});
}

export async function updateParticipant(
	client: TwilioClient,
	conferenceSid: string,
	participant: string,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		path: participantPath(conferenceSid, participant),
		form,
	});
}

export async function fetchParticipant(
	client: TwilioClient,
	conferenceSid: string,
	participant: string,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'GET',
		path: participantPath(conferenceSid, participant),
	});
}

/** Dials `form.To` into the conference as a new participant (From, To, Label, Timeout …). */
export async function createParticipant(
	client: TwilioClient,
	conferenceSid: string,
	form: Form,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		path: accountPath(`/Conferences/${encodeURIComponent(conferenceSid)}/Participants.json`),
		form,
	});
}

export async function listParticipants(
	client: TwilioClient,
	conferenceSid: string,
): Promise<JsonObject[]> {
	const page = await client.request<{ participants?: JsonObject[] }>({
		method: 'GET',
		path: accountPath(`/Conferences/${encodeURIComponent(conferenceSid)}/Participants.json`),
	});
	return page.participants ?? [];
}

/** The account's conferences in progress, newest first (Twilio's first page, up to 50). */
export async function liveConferences(client: TwilioClient): Promise<JsonObject[]> {
	const page = await client.request<{ conferences?: JsonObject[] }>({
		method: 'GET',
		path: accountPath('/Conferences.json'),
		query: { Status: 'in-progress', PageSize: 50 },
	});
	return page.conferences ?? [];
}

export async function deleteParticipant(
	client: TwilioClient,
	conferenceSid: string,
	participant: string,
): Promise<void> {
	await client.request({ method: 'DELETE', path: participantPath(conferenceSid, participant) });
}

/** A call as the commands' results report it. */
export function callSummary(call: JsonObject): JsonObject {
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
