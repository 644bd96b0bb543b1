/** The integration's IDN, apart from integration.ts so that its commands and session can use it without a cycle. */
export const VOICE_INTEGRATION = 'twilio_voice';
