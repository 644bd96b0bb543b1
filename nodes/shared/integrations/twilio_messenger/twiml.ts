import type MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

import { lazyModule } from '../../lazyModule';

const messagingResponseClass = lazyModule<typeof MessagingResponse>(
	'twilio/lib/twiml/MessagingResponse',
);

/** TwiML answering an incoming message: empty (no reply), or one reply message. Loaded on first use, like the voice builder. */
export function messagingReplyTwiml(reply?: string): string {
	const response = new (messagingResponseClass())();
	if (reply !== undefined && reply !== '') response.message(reply);
	return response.toString();
}
