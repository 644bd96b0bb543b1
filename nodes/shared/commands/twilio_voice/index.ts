import type { IntegrationDefinition } from '../types';
import { makeCall, VOICE_INTEGRATION } from './makeCall';

export const twilioVoiceIntegration: IntegrationDefinition = {
	integrationIdn: VOICE_INTEGRATION,
	displayName: 'Twilio Voice',
	description: 'Phone calls over Twilio with the Twilio API credential',
	commands: [makeCall],
};
