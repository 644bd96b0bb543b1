/** The resources the stand-in keeps in memory: calls, conferences, participants, messages. */
import type { TwilioParams } from './types';

export type CallStatus =
	'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export interface CallState {
	sid: string;
	to: string;
	from: string;
	status: CallStatus;
	direction: string;
	createdAt: Date;
	updatedAt: Date;
	startedAt?: Date;
	endedAt?: Date;
	/** The TwiML the call runs now: from Calls.create or the latest update. */
	twiml?: string;
	url?: string;
	createParams: TwilioParams;
	updates: TwilioParams[];
}

export interface ConferenceState {
	sid: string;
	friendlyName: string;
	status: 'init' | 'in-progress' | 'completed';
	createdAt: Date;
	updatedAt: Date;
	reasonEnded?: string;
	announceUrl?: string;
}

export interface ParticipantState {
	conferenceSid: string;
	callSid: string;
	label: string | null;
	muted: boolean;
	hold: boolean;
	holdUrl?: string;
	holdMethod?: string;
	coaching: boolean;
	callSidToCoach: string | null;
	endConferenceOnExit: boolean;
	startConferenceOnEnter: boolean;
	status: 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';
	createdAt: Date;
	updatedAt: Date;
	updates: TwilioParams[];
}

export interface MessageState {
	sid: string;
	to: string;
	from: string | null;
	body: string;
	mediaUrls: string[];
	messagingServiceSid: string | null;
	status: 'queued' | 'accepted' | 'scheduled' | 'canceled' | 'sent' | 'delivered' | 'failed';
	createdAt: Date;
	updatedAt: Date;
	sendAt?: string;
	createParams: TwilioParams;
}

export const FINAL_CALL_STATUSES: ReadonlySet<CallStatus> = new Set([
	'completed',
	'busy',
	'failed',
	'no-answer',
	'canceled',
]);
