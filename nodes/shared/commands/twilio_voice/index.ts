import type { IntegrationDefinition } from '../types';
import { getCall, sendDigits, stopCall, transferCall } from './callControl';
import { setTurnMessage } from './conversation';
import { endConference, holdParticipant, removeParticipant, unholdParticipant } from './conference';
import { makeCall, VOICE_INTEGRATION } from './makeCall';

export const twilioVoiceIntegration: IntegrationDefinition = {
	integrationIdn: VOICE_INTEGRATION,
	displayName: 'Twilio Voice',
	description: 'Phone calls over Twilio with the Twilio API credential',
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
