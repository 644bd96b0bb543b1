/**
 * The SMS Trigger's turns: the item each one outputs, and the turns that
 * come from the store rather than from Twilio (session timeouts, forced
 * no-input turns), heard on the outbox while the trigger is active.
 */
import type {
	IDataObject,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
} from 'n8n-workflow';

import { getStore } from '../../store';
import type { JsonObject, Session, StoredEvent } from '../../store/types';
import { TIMER_FIRED_EVENT } from '../../timers/schedule';
import { matchesFilter } from '../../triggers/match';
import { listenWithTimerEngine, subscribeTrigger } from '../../triggers/outboxTrigger';
import { MESSENGER_INTEGRATION } from './constants';
import {
	sessionOfTimeoutTimer,
	SMS_ERROR,
	SMS_NO_INPUT_TURN,
	SMS_NO_INPUT_TURN_EVENT,
	SMS_RESPONSE_TIMEOUT,
	smsStateVariables,
} from './session';

/** A status callback of a message sent: its delivery status (sent, delivered, read …). */
export const SMS_STATUS = 'smsStatus';

export type SmsEvent =
	| 'message'
	| typeof SMS_ERROR
	| typeof SMS_STATUS
	| typeof SMS_RESPONSE_TIMEOUT
	| typeof SMS_NO_INPUT_TURN;
/** The events a trigger without a chosen list starts on; delivery statuses only when asked. */
export const ALL_EVENTS: SmsEvent[] = [
	'message',
	SMS_ERROR,
	SMS_RESPONSE_TIMEOUT,
	SMS_NO_INPUT_TURN,
];

export interface SmsTriggerOptions {
	publicUrl?: string;
	reply?: string;
	/** Milliseconds to hold Twilio's request for the workflow's reply (smsConversationResponseTimeout); 0: answer at once. */
	responseTimeout?: number;
	tenantPhoneNumber?: string;
	/** The statuses a delivery status event starts the workflow on. */
	deliveryStatuses?: string[];
	/** Download an incoming message's media into the item's binary data. */
	downloadMedia?: boolean;
}

interface TurnDetails {
	event: SmsEvent;
	text: string;
	messageSid?: string | null;
	smsMedia?: JsonObject[];
	smsError?: JsonObject | null;
	messageStatus?: string | null;
	/** Every form field Twilio posted, as it sent them; none for turns that come from the store. */
	twilio?: JsonObject;
}

/** One output item: the seed's state variables, the turn's text (a keyword for events), and where it came from. */
export function turnItem(
	session: Session | null,
	fallback: { tenantNumber: string; userNumber: string },
	turn: TurnDetails,
): JsonObject {
	const variables = session
		? smsStateVariables(session)
		: {
				smsTenantPhoneNumber: fallback.tenantNumber,
				smsUserPhoneNumber: fallback.userNumber,
				smsSessionID: null,
				smsUserData: null,
				smsSessionTimeoutCount: null,
			};
	return {
		event: turn.event,
		text: turn.text,
		...variables,
		smsError: turn.smsError ?? null,
		smsMedia: turn.smsMedia ?? [],
		messageSid: turn.messageSid ?? null,
		messageStatus: turn.messageStatus ?? null,
		personaId: session?.personaId ?? null,
		sessionId: session?.id ?? null,
		connectorIdn: session?.connectorIdn ?? null,
		twilio: turn.twilio ?? {},
	};
}

export function readEvents(functions: IWebhookFunctions | ITriggerFunctions): Set<SmsEvent> {
	const events = functions.getNodeParameter('events', ALL_EVENTS) as SmsEvent[];
	return new Set(events);
}

/** While the SMS Trigger is active: its outbox listener, and the timer engine that fires session timeouts. */
export async function listenForSessionTurns(
	functions: ITriggerFunctions,
): Promise<ITriggerResponse> {
	const connectorIdn = String(functions.getNodeParameter('connectorIdn', MESSENGER_INTEGRATION));
	const { tenantPhoneNumber = '' } = functions.getNodeParameter('options', {}) as SmsTriggerOptions;
	const events = readEvents(functions);
	const store = await getStore();

	const turnOf = async (sessionId: string, event: SmsEvent): Promise<IDataObject | null> => {
		const session = await store.getSession(sessionId);
		if (session === null || session.status !== 'active') return null;
		if (!matchesFilter(tenantPhoneNumber, String(session.state.smsTenantPhoneNumber ?? '')))
			return null;
		return turnItem(session, { tenantNumber: '', userNumber: '' }, { event, text: event });
	};
	const select = async (event: StoredEvent): Promise<IDataObject | null> => {
		if (
			event.integrationIdn !== MESSENGER_INTEGRATION ||
			!matchesFilter(connectorIdn, event.connectorIdn)
		)
			return null;
		const timedOut =
			event.type === TIMER_FIRED_EVENT
				? sessionOfTimeoutTimer(String(event.payload.timerName ?? ''))
				: undefined;
		const wanted: SmsEvent | undefined =
			timedOut !== undefined
				? SMS_RESPONSE_TIMEOUT
				: event.type === SMS_NO_INPUT_TURN_EVENT
					? SMS_NO_INPUT_TURN
					: undefined;
		const sessionId =
			timedOut ??
			(typeof event.payload.sessionId === 'string' ? event.payload.sessionId : undefined);
		if (wanted === undefined || sessionId === undefined || !events.has(wanted)) return null;
		return await turnOf(sessionId, wanted);
	};
	return await listenWithTimerEngine(
		await subscribeTrigger(
			functions,
			'sms-trigger',
			[TIMER_FIRED_EVENT, SMS_NO_INPUT_TURN_EVENT],
			select,
		),
	);
}
