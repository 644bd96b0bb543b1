import type { IntegrationDefinition } from '../types';
import { MESSENGER_INTEGRATION, sendMessage } from './sendMessage';

export const twilioMessengerIntegration: IntegrationDefinition = {
	integrationIdn: MESSENGER_INTEGRATION,
	displayName: 'Twilio Messenger',
	description: 'SMS, MMS and channel messages over Twilio with the Twilio API credential',
	// Each command is one operation of the Send SMS/MMS node, in this order.
	commands: [sendMessage],
};
