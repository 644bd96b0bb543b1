import type { IntegrationDefinition } from '../types';
import { getCall, stopCall } from './callControl';
import { makeCall, VOICE_INTEGRATION } from './makeCall';

export const twilioVoiceIntegration: IntegrationDefinition = {
	integrationIdn: VOICE_INTEGRATION,
	displayName: 'Twilio Voice',
	description: 'Phone calls over Twilio with the Twilio API credential',
	commands: [makeCall, stopCall, getCall],
};
