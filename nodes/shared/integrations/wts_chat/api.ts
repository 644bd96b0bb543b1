import type { JsonObject } from '../../store/types';
import type { WtsChatClient } from '../../transport/wtsChat';

/** WTS Chat's API as the chatbot command and the editor's pickers use it. */
export const WTS_CHAT_INTEGRATION = 'wts_chat';
/** Answers the conversation (session) the chatbot runs in. */
export const IMMEDIATE_PATH = '/chat/v1/chatbot/send';
/** Answers a send status; WTS Chat processes the send in the background. */
export const QUEUED_PATH = '/chat/v1/send/chatbot';
export const CHATBOTS_PATH = '/chat/v1/chatbot';
export const CHANNELS_PATH = '/chat/v1/channel';
/** Queued sends still on their way. */
const PENDING_SEND_STATUSES = new Set(['PROCESSING', 'QUEUED']);
const POLL_INTERVAL_MS = 1000;
export const MAX_WAIT_SECONDS = 300;

export type Endpoint = 'immediate' | 'queued';

/** Polls a queued send until it leaves PROCESSING / QUEUED or `seconds` pass (then it says waitTimedOut). */
export async function waitForSend(
	client: WtsChatClient,
	send: JsonObject,
	seconds: number,
): Promise<JsonObject> {
	const deadline = Date.now() + seconds * 1000;
	let current = send;
	while (PENDING_SEND_STATUSES.has(String(current.status)) && Date.now() < deadline) {
		await new Promise((resolve) =>
			setTimeout(resolve, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))),
		);
		current = await client.request<JsonObject>({
			method: 'GET',
			path: `${QUEUED_PATH}/${encodeURIComponent(String(send.id))}`,
		});
	}
	return PENDING_SEND_STATUSES.has(String(current.status))
		? { ...current, waitTimedOut: true }
		: current;
}
