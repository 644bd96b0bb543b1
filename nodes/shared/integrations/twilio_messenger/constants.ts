/** The integration's IDN, apart from integration.ts so that its commands and session can use it without a cycle. */
export const MESSENGER_INTEGRATION = 'twilio_messenger';

/** Twilio takes at most this many media URLs per message. */
export const MAX_MEDIA_URLS = 10;
