import type { IntegrationDefinition } from '../types';
import { smsSessionCommands } from './sessionActions';
import { MESSENGER_INTEGRATION } from './smsSession';

export const twilioMessengerIntegration: IntegrationDefinition = {
	integrationIdn: MESSENGER_INTEGRATION,
	displayName: 'Twilio Messaging',
	description: 'SMS / MMS sessions over Twilio',
	commands: [...smsSessionCommands],
};
