/**
 * What Twilio posts to the SMS Trigger, read into seed 003's terms: an
 * incoming message (a user's turn) or a status callback of a message sent
 * (failed / undelivered becomes the `smsError` keyword).
 */
import { formField, type TwilioFormFields } from '../shared/integrations/twilio/formFields';
import type { JsonObject } from '../shared/store/types';

export interface IncomingMessage {
	kind: 'message';
	messageSid: string;
	tenantNumber: string;
	userNumber: string;
	text: string;
	media: Array<{ mediaURL: string; mediaContentType: string | null }>;
}

export interface DeliveryFailure {
	kind: 'smsError';
	messageSid: string;
	/** Sent from the tenant number to the user, so From is the tenant. */
	tenantNumber: string;
	userNumber: string;
	error: JsonObject;
}

/** A status callback that reports progress, not failure: nothing to run. */
export interface DeliveryProgress {
	kind: 'status';
	status: string;
}

export type TwilioMessagingWebhook = IncomingMessage | DeliveryFailure | DeliveryProgress;

const FAILED_STATUSES = new Set(['failed', 'undelivered']);
/** Twilio sends at most 10 media per message; the count field is still read defensively. */
const MAX_MEDIA = 10;

export function readMessagingWebhook(params: TwilioFormFields): TwilioMessagingWebhook {
	const messageSid = formField(params, 'MessageSid') || formField(params, 'SmsSid');
	const status = formField(params, 'MessageStatus');
	if (status !== '') {
		if (!FAILED_STATUSES.has(status)) return { kind: 'status', status };
		const code = formField(params, 'ErrorCode');
		return {
			kind: 'smsError',
			messageSid,
			tenantNumber: formField(params, 'From'),
			userNumber: formField(params, 'To'),
			error: {
				status,
				messageSid,
				code: code === '' ? null : Number(code),
				message: formField(params, 'ErrorMessage') || null,
				moreInfo: code === '' ? null : `https://www.twilio.com/docs/errors/${code}`,
			},
		};
	}
	const count = Math.min(MAX_MEDIA, Number.parseInt(formField(params, 'NumMedia') || '0', 10) || 0);
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
