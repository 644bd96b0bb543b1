/**
 * Twilio's side of its webhooks: the form fields it posts for an incoming
 * message and for a message status callback, and X-Twilio-Signature computed
 * here by hand from Twilio's documented algorithm (base64 HMAC-SHA1 with the
 * Auth Token over the URL followed by every field's name and value, sorted by
 * name), independently of the `twilio` package the nodes check it with.
 */
import { createHmac, randomBytes } from 'node:crypto';

export function twilioSignature(
	authToken: string,
	url: string,
	params: Record<string, string>,
): string {
	const data = Object.keys(params)
		.sort()
		.reduce((text, name) => text + name + params[name], url);
	return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

function sid(prefix: string): string {
	return prefix + randomBytes(16).toString('hex');
}

export interface IncomingMessage {
	accountSid: string;
	from: string;
	to: string;
	body: string;
	media?: Array<{ url: string; contentType: string }>;
}

/** The fields of Twilio's "A message comes in" request, as it sends them. */
export function incomingMessageParams(message: IncomingMessage): Record<string, string> {
	const messageSid = sid(message.media?.length ? 'MM' : 'SM');
	const params: Record<string, string> = {
		ToCountry: 'US',
		ToState: 'CA',
		SmsMessageSid: messageSid,
		NumMedia: String(message.media?.length ?? 0),
		ToCity: 'SAN FRANCISCO',
		FromZip: '94105',
		SmsSid: messageSid,
		FromState: 'CA',
		SmsStatus: 'received',
		FromCity: 'SAN FRANCISCO',
		Body: message.body,
		FromCountry: 'US',
		To: message.to,
		MessagingServiceSid: sid('MG'),
		ToZip: '94107',
		NumSegments: '1',
		ReferralNumMedia: '0',
		MessageSid: messageSid,
		AccountSid: message.accountSid,
		From: message.from,
		ApiVersion: '2010-04-01',
	};
	for (const [index, media] of (message.media ?? []).entries()) {
		params[`MediaContentType${index}`] = media.contentType;
		params[`MediaUrl${index}`] = media.url;
	}
	return params;
}

export interface MessageStatus {
	accountSid: string;
	messageSid: string;
	/** The tenant number the message was sent from. */
	from: string;
	to: string;
	status: 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';
	errorCode?: number;
}

/** The fields of a message status callback. */
export function messageStatusParams(status: MessageStatus): Record<string, string> {
	return {
		...(status.errorCode !== undefined ? { ErrorCode: String(status.errorCode) } : {}),
		SmsSid: status.messageSid,
		SmsStatus: status.status,
		MessageStatus: status.status,
		To: status.to,
		MessageSid: status.messageSid,
		AccountSid: status.accountSid,
		From: status.from,
		ApiVersion: '2010-04-01',
	};
}

export interface PostOptions {
	authToken: string;
	/** The URL Twilio was configured with, which it signs; by default the one posted to. */
	signedUrl?: string;
	/** Overrides the computed signature (a forgery); null sends none. */
	signature?: string | null;
}

/** Posts a webhook the way Twilio does: form-encoded, signed, with Twilio's headers. */
export async function postTwilioWebhook(
	url: string,
	params: Record<string, string>,
	options: PostOptions,
): Promise<Response> {
	const signature =
		options.signature === undefined
			? twilioSignature(options.authToken, options.signedUrl ?? url, params)
			: options.signature;
	return await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
			'user-agent': 'TwilioProxy/1.1',
			'i-twilio-idempotency-token': randomBytes(16).toString('hex'),
			...(signature === null ? {} : { 'x-twilio-signature': signature }),
		},
		body: new URLSearchParams(params).toString(),
	});
}
