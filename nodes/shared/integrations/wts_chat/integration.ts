import type { IntegrationDefinition } from '../../commands/types';
import { WTS_CHAT_CREDENTIAL } from '../../transport/credentialTypes';
import { WTS_CHAT_INTEGRATION } from './api';
import { sendChatbot } from './commands/send_chatbot.command';

export const wtsChatIntegration: IntegrationDefinition = {
	integrationIdn: WTS_CHAT_INTEGRATION,
	displayName: 'WTS Chat',
	description: 'WTS Chat chatbots with the WTS Chat API credential',
	credential: WTS_CHAT_CREDENTIAL,
	commands: [sendChatbot],
};
