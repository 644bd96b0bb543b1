/**
 * The Twilio Conversations requests Send to Conversation makes: the
 * conversation (for its Conversation Service), a file uploaded to the Media
 * Content Service of that service, and the message.
 */
import type { JsonObject } from '../../store/types';
import type { TwilioClient, TwilioFormValue } from '../../transport/twilio';

function conversationPath(conversationSid: string): string {
	return `/v1/Conversations/${encodeURIComponent(conversationSid)}`;
}

export async function fetchConversation(
	client: TwilioClient,
	conversationSid: string,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'GET',
		service: 'conversations',
		path: conversationPath(conversationSid),
	});
}

/** Media for a Conversations message lives in the Media Content Service (mcs.twilio.com) of the conversation's service. */
export async function uploadConversationMedia(
	client: TwilioClient,
	chatServiceSid: string,
	file: { data: Buffer; contentType: string },
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		service: 'mcs',
		path: `/v1/Services/${encodeURIComponent(chatServiceSid)}/Media`,
		upload: file,
	});
}

export async function createConversationMessage(
	client: TwilioClient,
	conversationSid: string,
	form: Record<string, TwilioFormValue>,
	fireWebhooks: boolean,
): Promise<JsonObject> {
	return await client.request<JsonObject>({
		method: 'POST',
		service: 'conversations',
		path: `${conversationPath(conversationSid)}/Messages`,
		form,
		// Twilio runs no webhooks for messages created through the REST API unless asked.
		headers: fireWebhooks ? { 'X-Twilio-Webhook-Enabled': 'true' } : undefined,
	});
}
