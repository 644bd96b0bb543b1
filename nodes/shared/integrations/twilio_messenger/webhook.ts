/**
 * The SMS Trigger's webhook: what Twilio posts, read into seed 003's terms.
 * An incoming message is a user's turn; a status callback of a message sent
 * reports failure (failed / undelivered become the `smsError` keyword) or
 * only progress (nothing runs).
 */
import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { getStore } from '../../store';
import type { JsonObject } from '../../store/types';
import { matchesFilter } from '../../triggers/match';
import { formField, type TwilioFormFields } from '../twilio/formFields';
import { answerTwiml, receiveTwilioWebhook } from '../twilio/webhook';
import { MAX_MEDIA_URLS, MESSENGER_INTEGRATION } from './constants';
import { findSmsSession, openSmsSession, restartSessionTimeout, SMS_ERROR } from './session';
import { downloadMedia } from './inboundMedia';
import { readEvents, SMS_STATUS, turnItem, type SmsEvent, type SmsTriggerOptions } from './turns';
import { awaitReply, MAX_RESPONSE_TIMEOUT_MS, openReplyTurn } from './reply';
import { messagingReplyTwiml } from './twiml';

export interface IncomingMessage {
	kind: 'message';
	messageSid: string;
	tenantNumber: string;
	userNumber: string;
	text: string;
	media: Array<{ mediaURL: string; mediaContentType: string | null }>;
}

/** A status callback of a message sent; `error` says why it failed (failed, undelivered), else null. */
export interface DeliveryStatus {
	kind: 'status';
	messageSid: string;
	/** Sent from the tenant number to the user, so From is the tenant. */
	tenantNumber: string;
	userNumber: string;
	status: string;
	error: JsonObject | null;
}

export type TwilioMessagingWebhook = IncomingMessage | DeliveryStatus;

const FAILED_STATUSES = new Set(['failed', 'undelivered']);
export const DEFAULT_DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'undelivered', 'failed'];

export function readMessagingWebhook(params: TwilioFormFields): TwilioMessagingWebhook {
	const messageSid = formField(params, 'MessageSid') || formField(params, 'SmsSid');
	const status = formField(params, 'MessageStatus');
	if (status !== '') {
		const code = formField(params, 'ErrorCode');
		return {
			kind: 'status',
			messageSid,
			tenantNumber: formField(params, 'From'),
			userNumber: formField(params, 'To'),
			status,
			error: FAILED_STATUSES.has(status)
				? {
						status,
						messageSid,
						code: code === '' ? null : Number(code),
						message: formField(params, 'ErrorMessage') || null,
						moreInfo: code === '' ? null : `https://www.twilio.com/docs/errors/${code}`,
					}
				: null,
		};
	}
	// Twilio sends at most 10 media per message; the count field is still read defensively.
	const count = Math.min(
		MAX_MEDIA_URLS,
		Number.parseInt(formField(params, 'NumMedia') || '0', 10) || 0,
	);
	const media = Array.from({ length: count }, (_, index) => ({
		mediaURL: formField(params, `MediaUrl${index}`),
		mediaContentType: formField(params, `MediaContentType${index}`) || null,
	})).filter((item) => item.mediaURL !== '');
	return {
		kind: 'message',
		messageSid,
		tenantNumber: formField(params, 'To'),
		userNumber: formField(params, 'From'),
		text: formField(params, 'Body'),
		media,
	};
}

/** The SMS Trigger's answer to one request of Twilio: the turn it starts the workflow with, the TwiML reply. */
export async function answerSmsWebhook(
	functions: IWebhookFunctions,
): Promise<IWebhookResponseData> {
	const response = functions.getResponseObject();
	const received = await receiveTwilioWebhook<SmsTriggerOptions>(functions);
	if (received === undefined) return { noWebhookResponse: true };
	const { params, options } = received;

	const webhook = readMessagingWebhook(params);
	const emptyTwiml = messagingReplyTwiml();
	if (!matchesFilter(options.tenantPhoneNumber ?? '', webhook.tenantNumber)) {
		answerTwiml(response, emptyTwiml);
		return { noWebhookResponse: true };
	}
	const events = readEvents(functions);
	const twilio = params as JsonObject;

	if (webhook.kind === 'status') {
		answerTwiml(response, emptyTwiml);
		const event = statusEvent(webhook, events, options.deliveryStatuses);
		if (event === undefined) return { noWebhookResponse: true };
		const store = await getStore();
		const parties = partiesOf(functions, webhook);
		const session = await findSmsSession(store, parties);
		const item = turnItem(session, parties, {
			event,
			text: event,
			messageSid: webhook.messageSid,
			smsError: webhook.error,
			messageStatus: webhook.status,
			twilio,
		});
		return { noWebhookResponse: true, workflowData: [[{ json: item }]] };
	}

	const store = await getStore();
	const parties = partiesOf(functions, webhook);
	// The user spoke: the session (re)starts, and its silence counts from now.
	const { session } = await openSmsSession(store, parties);
	await restartSessionTimeout(store, session);
	const waitMs = Math.min(Number(options.responseTimeout ?? 0) || 0, MAX_RESPONSE_TIMEOUT_MS);
	if (!events.has('message') || waitMs <= 0) {
		answerTwiml(response, messagingReplyTwiml(options.reply));
		if (!events.has('message')) return { noWebhookResponse: true };
	} else {
		// Twilio holds the request until it gets TwiML: wait for the workflow's reply (through the store, so it may run on a worker).
		const deadline = Date.now() + waitMs;
		const turn = await openReplyTurn(store, session, deadline);
		void awaitReply(store, session.id, turn, deadline)
			.catch((error: unknown) => {
				functions.logger.error(
					`${functions.getNode().name} could not read the reply to ${parties.userNumber}: ${error instanceof Error ? error.message : String(error)}`,
				);
				return undefined;
			})
			.then((reply) =>
				answerTwiml(
					response,
					reply
						? messagingReplyTwiml(reply.text, reply.media, reply.statusCallback)
						: messagingReplyTwiml(options.reply),
				),
			);
	}
	const item = turnItem(session, parties, {
		event: 'message',
		text: webhook.text,
		messageSid: webhook.messageSid,
		smsMedia: webhook.media,
		messageStatus: formField(params, 'SmsStatus') || null,
		twilio,
	});
	const binary = options.downloadMedia ? await downloadMedia(functions, item) : undefined;
	return {
		noWebhookResponse: true,
		workflowData: [[binary === undefined ? { json: item } : { json: item, binary }]],
	};
}

function partiesOf(
	functions: IWebhookFunctions,
	webhook: TwilioMessagingWebhook,
): { connectorIdn: string; tenantNumber: string; userNumber: string } {
	return {
		connectorIdn: String(functions.getNodeParameter('connectorIdn', MESSENGER_INTEGRATION)),
		tenantNumber: webhook.tenantNumber,
		userNumber: webhook.userNumber,
	};
}

/**
 * Which event a status callback starts, if any: a failure is smsError when
 * that event is chosen, and any chosen status (failures too) is smsStatus.
 */
function statusEvent(
	webhook: DeliveryStatus,
	events: Set<SmsEvent>,
	statuses: string[] = DEFAULT_DELIVERY_STATUSES,
): SmsEvent | undefined {
	if (webhook.error !== null && events.has(SMS_ERROR)) return SMS_ERROR;
	if (events.has(SMS_STATUS) && statuses.includes(webhook.status)) return SMS_STATUS;
	return undefined;
}
