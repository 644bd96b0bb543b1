import type { IntegrationDefinition } from '../../commands/types';
import { TWILIO_CREDENTIAL } from '../../transport/credentialTypes';
import { forceNoInputTurn } from './commands/force_no_input_turn.command';
import { sendConversationMessage } from './commands/send_conversation_message.command';
import { sendMedia } from './commands/send_media.command';
import { sendMessage } from './commands/send_message.command';
import { setSessionTimeout } from './commands/set_session_timeout.command';
import { startSession } from './commands/start_session.command';
import { terminateSession } from './commands/terminate_session.command';
import { MESSENGER_INTEGRATION } from './constants';

export const twilioMessengerIntegration: IntegrationDefinition = {
	integrationIdn: MESSENGER_INTEGRATION,
	displayName: 'Twilio Messenger',
	description:
		'SMS, MMS, channel and Conversations messages over Twilio with the Twilio API credential, and their sessions',
	credential: TWILIO_CREDENTIAL,
	// Each command is one operation of the Send SMS/MMS node, in this order.
	commands: [
		sendMessage,
		startSession,
		setSessionTimeout,
		terminateSession,
		forceNoInputTurn,
		sendMedia,
		sendConversationMessage,
	],
};
