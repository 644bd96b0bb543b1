/**
 * Seed 004: start a WTS Chat chatbot for a contact, through the immediate
 * endpoint (answers the session) or the queued one (answers a send status,
 * optionally awaited).
 */
import type { JsonObject } from '../../../store/types';
import { createWtsChatClient } from '../../../transport/wtsChat';
import type { CommandDefinition } from '../../../commands/types';
import { IMMEDIATE_PATH, QUEUED_PATH, WTS_CHAT_INTEGRATION, waitForSend } from '../api';
import { readInput, type SendChatbotInput } from '../chatbotInput';
import { claimStart, contactSession, releaseStart } from '../contactSession';
import { sendChatbotProperties } from '../properties';

export const sendChatbot: CommandDefinition<SendChatbotInput> = {
	integrationIdn: WTS_CHAT_INTEGRATION,
	commandIdn: 'send_chatbot',
	displayName: 'Send Chatbot Message',
	description: 'Start a WTS Chat chatbot for a contact',
	properties: sendChatbotProperties,
	validate: (args, request) => readInput(args, request.connectorIdn),
	async run(context, input) {
		const client = await createWtsChatClient(context.functions, context.itemIndex);
		const store = context.store;
		const session = await contactSession(store, input);
		const guarded = (input.body.options as JsonObject).skipIfInProgress === true;
		const claim = guarded ? await claimStart(store, session) : null;
		if (guarded && claim === null) {
			return {
				status: 'completed',
				result: {
					skipped: true,
					reason: 'A chatbot start for this contact is already in flight (Skip If In Progress)',
				},
			};
		}
		try {
			const path = input.endpoint === 'queued' ? QUEUED_PATH : IMMEDIATE_PATH;
			const answer = await client.request<JsonObject>({ method: 'POST', path, body: input.body });
			const result =
				input.waitSeconds !== undefined
					? await waitForSend(client, answer, input.waitSeconds)
					: answer;
			const wtsSessionId = input.endpoint === 'queued' ? result.sessionId : result.id;
			await store.updateSession(session.id, {
				metadata: {
					...(input.body.sessionMetadata as JsonObject | undefined),
					...(typeof wtsSessionId === 'string' ? { wtsSessionId } : {}),
				},
				state: { lastStatus: result.status ?? null, botKey: input.body.botKey },
			});
			return {
				status: 'completed',
				externalId:
					typeof wtsSessionId === 'string'
						? wtsSessionId
						: typeof result.id === 'string'
							? result.id
							: undefined,
				result,
			};
		} finally {
			if (claim) await releaseStart(store, session, claim);
		}
	},
};
