import type { IntegrationDefinition } from '../../commands/types';
import { TWILIO_CREDENTIAL } from '../../transport/credentialTypes';
import { endConference } from './commands/end_conference.command';
import { getCall } from './commands/get_call.command';
import { holdParticipant } from './commands/hold_participant.command';
import { makeCall } from './commands/make_call.command';
import { removeParticipant } from './commands/remove_participant.command';
import { sendDigits } from './commands/send_digits.command';
import { setTurnMessage } from './commands/set_turn_message.command';
import { stopCall } from './commands/stop_call.command';
import { transferCall } from './commands/transfer_call.command';
import { unholdParticipant } from './commands/unhold_participant.command';
import { VOICE_INTEGRATION } from './constants';

export const twilioVoiceIntegration: IntegrationDefinition = {
	integrationIdn: VOICE_INTEGRATION,
	displayName: 'Twilio Voice',
	description: 'Phone calls over Twilio with the Twilio API credential',
	credential: TWILIO_CREDENTIAL,
	// Each command is one operation of the Make Call node, in this order.
	commands: [
		makeCall,
		stopCall,
		getCall,
		transferCall,
		sendDigits,
		holdParticipant,
		unholdParticipant,
		removeParticipant,
		endConference,
		setTurnMessage,
	],
};
