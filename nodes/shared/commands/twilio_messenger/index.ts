import type { IntegrationDefinition } from '../types';
import { MESSENGER_INTEGRATION, sendMessage } from './sendMessage';
import { smsSessionCommands } from './sessionActions';

export const twilioMessengerIntegration: IntegrationDefinition = {
	integrationIdn: MESSENGER_INTEGRATION,
	displayName: 'Twilio Messenger',
	description:
		'SMS, MMS and channel messages over Twilio with the Twilio API credential, and their sessions (seed 003)',
	// Each command is one operation of the Send SMS/MMS node, in this order.
	commands: [sendMessage, ...smsSessionCommands],
};
