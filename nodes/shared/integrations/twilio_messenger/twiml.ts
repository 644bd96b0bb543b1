import type MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

import { lazyModule } from '../../lazyModule';

const messagingResponseClass = lazyModule<typeof MessagingResponse>(
	'twilio/lib/twiml/MessagingResponse',
);

/**
 * TwiML answering an incoming message: empty (no reply), or one reply
 * message with its text and media; Twilio posts the reply's status to
 * `statusCallback` (the Message verb's action). Loaded on first use, like
 * the voice builder.
 */
export function messagingReplyTwiml(
	reply?: string | null,
	media: string[] = [],
	statusCallback?: string | null,
): string {
	const response = new (messagingResponseClass())();
	const text = reply ?? '';
	if (text === '' && media.length === 0) return response.toString();
	const attributes = statusCallback ? { action: statusCallback, method: 'POST' } : {};
	if (media.length === 0) {
		response.message(attributes, text);
		return response.toString();
	}
	const message = response.message(attributes, '');
	if (text !== '') message.body(text);
	for (const url of media) message.media(url);
	return response.toString();
}
