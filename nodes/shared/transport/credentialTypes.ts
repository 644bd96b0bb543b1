/** The credential type names of this package, in one place for nodes and transports. */
export const TWILIO_CREDENTIAL = 'agentTwilioApi';
export const WTS_CHAT_CREDENTIAL = 'wtsChatApi';
export const REQUEST_SIGNING_CREDENTIAL = 'requestSigningApi';
