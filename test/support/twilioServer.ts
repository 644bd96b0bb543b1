/**
 * A local stand-in for Twilio's REST APIs (API 2010, TaskRouter,
 * Conversations), shared by every Twilio test. It speaks Twilio's wire format
 * (Basic auth, form bodies with PascalCase keys and repeated keys for lists,
 * JSON resources, `{code, message, more_info, status}` errors) and checks
 * every request against Twilio's official OpenAPI specs in
 * `test/fixtures/twilio/`: a request the spec would refuse is answered as
 * Twilio would (400, 404, 405) and recorded in `violations`, so the test that
 * sent it fails. Calls, messages, conferences and participants are kept in
 * memory and answered as resources shaped by the spec's response schemas;
 * other operations answer the spec's own example, or a handler a test sets.
 *
 *   const twilio = await TwilioServer.start({ accountSid, authToken });
 *   // the Twilio credential's Base URL: twilio.baseUrl
 *   twilio.inject({ path: '/Calls.json', status: 429, times: 2 });
 *   … run the workflow …
 *   expect(twilio.requestsTo('POST', '/Calls.json').map((r) => r.status)).toEqual([429, 429, 201]);
 *   twilio.assertNoViolations();
 */
export { TWILIO_FIXTURES_DIR, TWILIO_SPEC_FILES } from './twilio/specs';
export { TWILIO_OVERLAYS } from './twilio/overlays';
export { TwilioServer } from './twilio/server';
export { defaultTwilioHandler } from './twilio/handlers';
export {
	capConcurrency,
	randomFaults,
	type ConcurrencyCapTally,
	type RandomFaultRates,
	type RandomFaultTally,
} from './twilio/randomFaults';
export { twilioError, twilioSid } from './twilio/wire';
export {
	addContentTemplate,
	addMessagingService,
	addPhoneNumber,
	messagingServiceOf,
	phoneNumberOf,
} from './twilio/numbers';
export type {
	CallState,
	CallStatus,
	ConferenceState,
	MessageState,
	ParticipantState,
} from './twilio/state';
export type {
	Fault,
	FaultOptions,
	SpecViolation,
	TwilioContext,
	TwilioHandler,
	TwilioParams,
	TwilioReply,
	TwilioRequest,
	TwilioServerOptions,
} from './twilio/types';
