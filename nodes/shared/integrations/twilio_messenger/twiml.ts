import type MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

import { lazyModule } from '../../lazyModule';

const messagingResponseClass = lazyModule<typeof MessagingResponse>(
	'twilio/lib/twiml/MessagingResponse',
);

/**
 * TwiML answering an incoming message: empty (no reply), or one reply
 * message with its text and media. Loaded on first use, like the voice builder.
 */
export function messagingReplyTwiml(reply?: string | null, media: string[] = []): string {
	const response = new (messagingResponseClass())();
	const text = reply ?? '';
	if (text === '' && media.length === 0) return response.toString();
	if (media.length === 0) {
		response.message(text);
		return response.toString();
	}
	const message = response.message({}, '');
	if (text !== '') message.body(text);
	for (const url of media) message.media(url);
	return response.toString();
}
