/**
 * SendCommand's examples of calls, messages and HTTP requests, run as a user
 * pastes them into Send Command: Key / Value arguments, strings exactly as
 * written, only phone numbers and URLs pointed at the local stand-ins. The
 * connectors they name are those of active triggers in the same n8n.
 */
import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { freePort, N8nInstance, outputOf } from '../support/n8n';
import { RecordingServer } from '../support/recordingServer';
import { SimulatedCall } from '../support/twilioCall';
import { TwilioServer } from '../support/twilioServer';
import { messageStatusParams, postTwilioWebhook } from '../support/twilioWebhooks';
import {
	keyValueCommandWorkflow,
	readUntil,
	recordedArguments,
	workflowFrom,
} from '../support/workflows';
import { storedActor } from '../store/reads';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const accountToken = 'dummy-auth-token-for-seed-examples';
const CREDENTIAL = { id: 'e2eTwilioSeed001', name: 'Twilio (e2e)' };
const CREDENTIALS = { agentTwilioApi: CREDENTIAL };
/** The credential's defaults: the seed's examples name no caller ID and no sender. */
const TENANT = '+16505550100';
const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const GREETING = 'Hello, how can I assist you today?';

describe("SendCommand's call, message and HTTP examples, verbatim, in a real n8n", () => {
	let n8n: N8nInstance;
	let twilio: TwilioServer;
	let api: RecordingServer;
	let store: SqliteStore;
	let webhookBase: string;
	let runs = 0;

	/** One Send Command with the example's Key / Value arguments, run by `n8n execute`. */
	const sendCommand = async (
		integrationIdn: string,
		commandIdn: string,
		connectorIdn: string,
		args: Record<string, string>,
	) => {
		runs += 1;
		const id = `e2eSeedCmd${String(runs).padStart(6, '0')}`;
		const workflow = keyValueCommandWorkflow({
			id,
			integrationIdn,
			commandIdn,
			connectorIdn,
			args,
			credentials: CREDENTIALS,
		});
		const execution = await n8n.execute(await n8n.importWorkflow(workflow));
		expect(execution.error).toBeUndefined();
		return outputOf(execution, 'Send Command')[0].json;
	};

	beforeAll(async () => {
		twilio = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: accountToken });
		api = await RecordingServer.start((request) => ({
			status: 200,
			headers: { 'content-type': 'application/json' },
			body: { endpoint: request.url, items: [1, 2, 3] },
		}));
		const port = await freePort();
		webhookBase = `http://127.0.0.1:${port}/webhook`;
		n8n = await N8nInstance.create({ port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
		await n8n.importCredentials([
			{
				...CREDENTIAL,
				type: 'agentTwilioApi',
				data: {
					accountSid: ACCOUNT_SID,
					authType: 'authToken',
					authToken: accountToken,
					baseUrl: twilio.baseUrl,
					defaultFrom: TENANT,
					defaultCallerId: TENANT,
				},
			},
		]);
		// Example 1's connector: a Call Trigger on newo_voice_connector answers the call.
		await n8n.activate(
			await n8n.importWorkflow(
				workflowFrom('call-conversation.json', {
					'"voice_conv"': '"newo_voice_connector"',
					'"__REPLY_TIMEOUT__"': '5',
					e2eTwilioCall001: CREDENTIAL.id,
				}),
			),
		);
		// Example 3's connector: an SMS Trigger on sms_connector.
		await n8n.activate(
			await n8n.importWorkflow(
				workflowFrom('sms-trigger-observer.json', {
					'"sms_e2e"': '"sms_connector"',
					e2eTwilioSms0001: CREDENTIAL.id,
				}),
			),
		);
		// Example 4's result_success goes to the HTTP Result Trigger on connector_name.
		await n8n.activate(
			await n8n.importWorkflow(
				workflowFrom('http-result-observer.json', {
					'"connectorIdn": ""': '"connectorIdn": "connector_name"',
					'e2e_match*': 'action_identifier',
				}),
			),
		);
		await n8n.start();
		await n8n.waitForWebhook('e2e-call');
		await n8n.waitForWebhook('e2e-sms');
		await n8n.setupOwner();
		store = new SqliteStore(n8n.storePath);
	});

	afterAll(async () => {
		await store?.close();
		await n8n?.dispose();
		await api?.close();
		await twilio?.close();
	});

	afterEach(() => expect(twilio.violations).toEqual([]));

	test('the active triggers are registered on their connectors, with their URLs where they have one', async () => {
		const listeners = await readUntil(() => store.listListeners(), 3);
		expect(
			listeners
				.map(({ kind, connectorIdn, webhookUrl }) => ({ kind, connectorIdn, webhookUrl }))
				.sort((a, b) => a.kind.localeCompare(b.kind)),
		).toEqual([
			{
				kind: 'callTrigger',
				connectorIdn: 'newo_voice_connector',
				webhookUrl: `${webhookBase}/e2e-call`,
			},
			{ kind: 'httpResultTrigger', connectorIdn: 'connector_name', webhookUrl: null },
			{ kind: 'smsTrigger', connectorIdn: 'sms_connector', webhookUrl: `${webhookBase}/e2e-sms` },
		]);
		const now = Date.now();
		for (const listener of listeners) expect(listener.expiresAt).toBeGreaterThan(now);
	});

	test('Example 1: make_call on newo_voice / newo_voice_connector is answered and held as a conversation by the Call Trigger on that connector', async () => {
		const conversationUrl = `${webhookBase}/e2e-call`;
		const act = await sendCommand('newo_voice', 'make_call', 'newo_voice_connector', {
			phoneNumber: '+16507000000',
			greetingPhrase: GREETING,
		});
		expect(act).toMatchObject({
			integrationIdn: 'twilio_voice',
			connectorIdn: 'newo_voice_connector',
			commandIdn: 'make_call',
			status: 'sent',
			externalId: expect.stringMatching(/^CA[0-9a-f]{32}$/),
			arguments: { phoneNumber: '+16507000000', greetingPhrase: GREETING },
			result: expect.objectContaining({ conversationUrl, notice: null, from: TENANT }),
		});
		const callSid = String(act.externalId);
		const created = twilio.calls.get(callSid);
		expect(created?.createParams).toEqual({
			To: '+16507000000',
			From: TENANT,
			Twiml: `${XML}<Response><Gather input="speech dtmf" action="${conversationUrl}" method="POST" actionOnEmptyResult="true"><Say>${GREETING}</Say></Gather></Response>`,
			StatusCallback: conversationUrl,
			StatusCallbackEvent: ['answered', 'completed'],
		});

		// The user picks up: the greeting, then what they say is answered by the workflow on the connector.
		twilio.setCallStatus(callSid, 'in-progress');
		const call = new SimulatedCall(
			{
				accountSid: ACCOUNT_SID,
				callSid,
				from: TENANT,
				to: '+16507000000',
				direction: 'outbound-api',
			},
			accountToken,
			{ url: conversationUrl, events: ['answered', 'completed'] },
		);
		expect(await call.reportStatus('answered')).toBe(200);
		await call.run(String(created?.createParams.Twiml));
		expect(call.log).toEqual([{ verb: 'Say', text: GREETING }]);
		await call.speak('I would like to book a table');
		expect(call.documents.at(-1)).toContain(
			'You said: I would like to book a table. Turn 1, 1 utterances so far.',
		);
		await call.speak('that is all, bye');
		expect(call.documents.at(-1)).toBe(`${XML}<Response><Say>Goodbye!</Say><Hangup/></Response>`);
		expect(call.ended).toBe(true);

		const events = await readUntil(
			async () =>
				(await recordedArguments(store, 'call_runs')).filter((event) => event.callSid === callSid),
			3,
		);
		expect(events.map((event) => event.event).sort()).toEqual([
			'call_started',
			'user_message',
			'user_message',
		]);
		// A persona and an actor for the user who picked up, under the connector.
		const actor = await storedActor(store, {
			integrationIdn: 'twilio_voice',
			connectorIdn: 'newo_voice_connector',
			externalId: '+16507000000',
		});
		expect(actor?.personaId).toBe((act.result as Record<string, unknown>).personaId);
		expect(events.every((event) => event.personaId === actor?.personaId)).toBe(true);
	});

	test('make_call on a connector no Call Trigger listens on greets and hangs up, and says so', async () => {
		const act = await sendCommand('newo_voice', 'make_call', 'unheard_connector', {
			phoneNumber: '+16507000000',
			greetingPhrase: GREETING,
		});
		expect(act.result).toMatchObject({
			conversationUrl: null,
			notice: expect.stringMatching(/^No Call Trigger listens on connector 'unheard_connector'/),
		});
		expect(twilio.calls.get(String(act.externalId))?.createParams).toEqual({
			To: '+16507000000',
			From: TENANT,
			Twiml: `${XML}<Response><Say>${GREETING}</Say></Response>`,
		});
	});

	test("Example 3: send_message on sms_connector is sent from the credential's number, and its failure reaches the SMS Trigger on sms_connector as smsError", async () => {
		const act = await sendCommand('twilio_messenger', 'send_message', 'sms_connector', {
			text: GREETING,
			phoneNumber: '+16507000000',
		});
		expect(act).toMatchObject({
			integrationIdn: 'twilio_messenger',
			status: 'sent',
			externalId: expect.stringMatching(/^SM[0-9a-f]{32}$/),
			result: expect.objectContaining({ from: TENANT, statusCallback: `${webhookBase}/e2e-sms` }),
		});
		const messageSid = String(act.externalId);
		const sent = twilio.messages.get(messageSid);
		expect(sent?.createParams).toEqual({
			To: '+16507000000',
			From: TENANT,
			Body: GREETING,
			StatusCallback: `${webhookBase}/e2e-sms`,
		});

		// Twilio reports the message undelivered to the status callback it was given.
		const before = (await recordedArguments(store, 'sms_runs')).length;
		const reported = await postTwilioWebhook(
			String(sent?.createParams.StatusCallback),
			messageStatusParams({
				accountSid: ACCOUNT_SID,
				messageSid,
				from: TENANT,
				to: '+16507000000',
				status: 'undelivered',
				errorCode: 30003,
			}),
			{ authToken: accountToken },
		);
		expect(reported.status).toBe(200);
		const turns = await readUntil(() => recordedArguments(store, 'sms_runs'), before + 1);
		expect(turns.slice(before)).toEqual([
			expect.objectContaining({
				event: 'smsError',
				smsTenantPhoneNumber: TENANT,
				smsUserPhoneNumber: '+16507000000',
				smsError: expect.objectContaining({ status: 'undelivered', messageSid, code: 30003 }),
			}),
		]);
	});

	test('Example 4: send_request GETs the URL with the JSON headers, and result_success reaches the HTTP Result Trigger with the act', async () => {
		runs += 1;
		const workflow = keyValueCommandWorkflow({
			id: `e2eSeedCmd${String(runs).padStart(6, '0')}`,
			integrationIdn: 'http',
			commandIdn: 'send_request',
			connectorIdn: 'connector_name',
			args: {
				userPersonaId: 'persona-ana',
				method: 'GET',
				url: `${api.baseUrl}/endpoint`,
				headers: '{"Accept": "application/json", "X-Client": "n8n"}',
				targetAction: 'action_identifier',
			},
		});
		// Sent in the background, as the seed's send_request answers with an event: run it in the server, not a CLI that exits.
		const started = await n8n.request(`/rest/workflows/${await n8n.importWorkflow(workflow)}/run`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ triggerToStartFrom: { name: 'Manual Trigger' } }),
		});
		expect(started.status).toBe(200);

		const [result] = await readUntil(() => recordedArguments(store, 'result_runs'), 1);
		expect(result).toMatchObject({
			event: 'result_success',
			statusCode: 200,
			body: { endpoint: '/endpoint', items: [1, 2, 3] },
			errorMessage: null,
			targetAction: 'action_identifier',
			userPersonaId: 'persona-ana',
			connectorIdn: 'connector_name',
			commandActId: expect.any(String),
			referenceIdn: expect.any(String),
		});
		expect(api.requests).toHaveLength(1);
		expect(api.requests[0]).toMatchObject({ method: 'GET', url: '/endpoint' });
		expect(api.requests[0].headers).toMatchObject({
			accept: 'application/json',
			'x-client': 'n8n',
		});
		// GetAct(id=commandActId): the request's act, with the seed's arguments as given.
		const [act] = await store.listActs({ ids: [String(result.commandActId)] });
		expect(act).toMatchObject({
			integrationIdn: 'http',
			connectorIdn: 'connector_name',
			commandIdn: 'send_request',
			personaId: 'persona-ana',
			arguments: expect.objectContaining({ targetAction: 'action_identifier', method: 'GET' }),
		});
	});
});
