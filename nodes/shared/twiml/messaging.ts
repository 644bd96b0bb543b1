import type MessagingResponse from 'twilio/lib/twiml/MessagingResponse';

type MessagingResponseClass = typeof MessagingResponse;
let messagingResponseClass: MessagingResponseClass | undefined;

/** TwiML answering an incoming message: empty (no reply), or one reply message. Loaded on first use, like the voice builder. */
export function messagingReplyTwiml(reply?: string): string {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	messagingResponseClass ??= require('twilio/lib/twiml/MessagingResponse') as MessagingResponseClass;
	const response = new messagingResponseClass();
	if (reply !== undefined && reply !== '') response.message(reply);
	return response.toString();
}
