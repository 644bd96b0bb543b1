import type { IntegrationDefinition } from '../types';
import { sendChatbot, WTS_CHAT_INTEGRATION } from './sendChatbot';

export const wtsChatIntegration: IntegrationDefinition = {
	integrationIdn: WTS_CHAT_INTEGRATION,
	displayName: 'WTS Chat',
	description: 'WTS Chat chatbots with the WTS Chat API credential',
	commands: [sendChatbot],
};
