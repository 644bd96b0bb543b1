import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, N8nInstance, outputOf, PROJECT_ROOT, type WorkflowJson } from '../support/n8n';
import { SimulatedCall } from '../support/twilioCall';
import { TwilioServer } from '../support/twilioServer';
import { postTwilioWebhook } from '../support/twilioWebhooks';
import {
	commandCasesWorkflow,
	readUntil,
	recordedArguments,
	workflowFrom,
} from '../support/workflows';
import { storedActor } from '../store/reads';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const accountToken = 'dummy-auth-token-for-voice-webhooks';
const CREDENTIALS = { agentTwilioApi: { id: 'e2eTwilioCall001', name: 'Twilio (e2e)' } };
const XML = '<?xml version="1.0" encoding="UTF-8"?>';

type CallEvent = Record<string, unknown>;

describe('a phone conversation in a real n8n: Call Trigger, Reply to Call, Make Call in conversation mode', () => {
	let n8n: N8nInstance;
	let twilio: TwilioServer;
	let store: SqliteStore;
	let conversationUrl: string;
	let runs = 0;

	const eventsOf = async (callSid: string): Promise<CallEvent[]> =>
		(await recordedArguments(store, 'call_runs')).filter((event) => event.callSid === callSid);
	const waitForEvents = async (callSid: string, count: number): Promise<CallEvent[]> =>
		await readUntil(() => eventsOf(callSid), count);
	const voiceCommand = async (commandIdn: string, args: Record<string, unknown>) => {
		runs += 1;
		const workflow = commandCasesWorkflow({
			id: `e2eCallCmd${String(runs).padStart(6, '0')}`,
			integrationIdn: 'twilio_voice',
			commandIdn,
			connectorIdn: 'voice_conv',
			cases: [args],
			credentials: CREDENTIALS,
		});
		return outputOf(await n8n.execute(await n8n.importWorkflow(workflow)), 'Send Command')[0].json;
	};
	/** The last thing the call heard: the Say texts of the latest TwiML document. */
	const saidLast = (call: SimulatedCall) => call.log.filter((entry) => entry.verb === 'Say').at(-1);

	beforeAll(async () => {
		twilio = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: accountToken });
		const port = await freePort();
		conversationUrl = `http://127.0.0.1:${port}/webhook/e2e-call`;
		n8n = await N8nInstance.create({ port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
		await n8n.importCredentials([
			{
				id: CREDENTIALS.agentTwilioApi.id,
				name: CREDENTIALS.agentTwilioApi.name,
				type: 'agentTwilioApi',
				data: {
					accountSid: ACCOUNT_SID,
					authType: 'authToken',
					authToken: accountToken,
					baseUrl: twilio.baseUrl,
				},
			},
		]);
		const workflow = workflowFrom('call-conversation.json');
		const text = JSON.stringify(workflow).replace('"__REPLY_TIMEOUT__"', '2');
		await n8n.activate(await n8n.importWorkflow(JSON.parse(text) as typeof workflow));
		// The example as a user has it once they selected their credential.
		const example = JSON.parse(
			readFileSync(join(PROJECT_ROOT, 'examples', 'phone-conversation.json'), 'utf8'),
		) as WorkflowJson;
		for (const node of example.nodes)
			if (String(node.type).endsWith('callTrigger') || String(node.type).endsWith('replyToCall'))
				node.credentials = CREDENTIALS;
		await n8n.activate(await n8n.importWorkflow(example));
		await n8n.start();
		await n8n.waitForWebhook('e2e-call');
		store = new SqliteStore(n8n.storePath);
	});

	afterAll(async () => {
		await store?.close();
		await n8n?.dispose();
		await twilio?.close();
	});

	afterEach(() => expect(twilio.violations).toEqual([]));

	test('an outbound call in conversation mode: greeting, two answered turns, a no-input turn, goodbye and hang-up', async () => {
		const placed = await voiceCommand('make_call', {
			phoneNumber: '+16507000001',
			callerId: '+16505550100',
			greetingPhrase: 'Hi, this is Ana from the restaurant. How can I help?',
			conversationUrl,
		});
		expect(placed).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^CA/) });
		const callSid = String(placed.externalId);
		const created = twilio.calls.get(callSid);
		expect(created?.createParams).toEqual({
			To: '+16507000001',
			From: '+16505550100',
			Twiml: `${XML}<Response><Gather input="speech dtmf" action="${conversationUrl}" method="POST" actionOnEmptyResult="true"><Say>Hi, this is Ana from the restaurant. How can I help?</Say></Gather></Response>`,
			StatusCallback: conversationUrl,
			StatusCallbackEvent: ['answered', 'completed'],
		});

		// Twilio connects the call: the answered callback, then the inline TwiML.
		twilio.setCallStatus(callSid, 'in-progress');
		const call = new SimulatedCall(
			{
				accountSid: ACCOUNT_SID,
				callSid,
				from: '+16505550100',
				to: '+16507000001',
				direction: 'outbound-api',
			},
			accountToken,
			{
				url: conversationUrl,
				events: ['answered', 'completed'],
			},
		);
		expect(await call.reportStatus('answered')).toBe(200);
		await call.run(String(created?.createParams.Twiml));
		expect(call.log).toEqual([
			{ verb: 'Say', text: 'Hi, this is Ana from the restaurant. How can I help?' },
		]);

		await call.speak('I would like to book a table');
		const listen = (said: string) =>
			`${XML}<Response><Gather input="speech dtmf" action="${conversationUrl}" method="POST" actionOnEmptyResult="true" timeout="4" speechTimeout="auto" hints="table, booking"><Say voice="Polly.Joanna">${said}</Say></Gather></Response>`;
		expect(call.documents.at(-1)).toBe(
			listen('You said: I would like to book a table. Turn 1, 1 utterances so far.'),
		);
		await call.speak('for two people tonight');
		expect(call.documents.at(-1)).toBe(
			listen('You said: for two people tonight. Turn 2, 3 utterances so far.'),
		);
		await call.stayQuiet();
		expect(call.documents.at(-1)).toBe(listen('Are you still there?'));
		await call.speak('no thanks, bye');
		expect(call.documents.at(-1)).toBe(`${XML}<Response><Say>Goodbye!</Say><Hangup/></Response>`);
		expect(call.ended).toBe(true);
		expect(call.statuses.every((status) => status === 200)).toBe(true);

		// Executions of one call overlap (the answered callback and the first turn), so their records are put in turn order.
		const events = (await waitForEvents(callSid, 6)).sort(
			(a, b) =>
				Number(a.turn) - Number(b.turn) ||
				Number(a.event === 'call_ended') - Number(b.event === 'call_ended'),
		);
		expect(events.map((event) => [event.event, event.awaitingReply, event.turn])).toEqual([
			['call_started', false, 0],
			['user_message', true, 1],
			['user_message', true, 2],
			['user_message', true, 3],
			['user_message', true, 4],
			['call_ended', false, 4],
		]);
		expect(events[1]).toMatchObject({
			text: 'I would like to book a table',
			confidence: 0.92,
			noInput: false,
			from: '+16505550100',
			to: '+16507000001',
			direction: 'outbound-api',
		});
		expect(events[3]).toMatchObject({ text: '', noInput: true });
		expect(events[5]).toMatchObject({ status: 'completed', duration: 42 });

		// The callee got a persona; the session kept the conversation, both sides, and ended with the call.
		const session = await store.getSession(String(events[0].sessionId));
		expect(session).toMatchObject({
			channel: 'call',
			externalKey: callSid,
			status: 'ended',
			personaId: events[0].personaId,
		});
		const actor = await storedActor(store, {
			integrationIdn: 'twilio_voice',
			connectorIdn: 'voice_conv',
			externalId: '+16507000001',
		});
		expect(actor?.personaId).toBe(events[0].personaId);
		expect(
			(session?.state.conversation as Array<{ role: string; text: string }>).map(
				({ role, text }) => `${role}: ${text}`,
			),
		).toEqual([
			'caller: I would like to book a table',
			'agent: You said: I would like to book a table. Turn 1, 1 utterances so far.',
			'caller: for two people tonight',
			'agent: You said: for two people tonight. Turn 2, 3 utterances so far.',
			'agent: Are you still there?',
			'caller: no thanks, bye',
			'agent: Goodbye!',
		]);
	});

	test('an inbound call: greeting, a slow answer covered by the fallback phrase and spoken late, set_turn_message, a key press that transfers', async () => {
		const live = twilio.addCall({
			status: 'in-progress',
			direction: 'inbound',
			from: '+16507000002',
			to: '+16505550100',
		});
		const call = new SimulatedCall(
			{
				accountSid: ACCOUNT_SID,
				callSid: live.sid,
				from: '+16507000002',
				to: '+16505550100',
				direction: 'inbound',
			},
			accountToken,
			{
				url: conversationUrl,
				events: ['completed'],
			},
		);
		await call.connect(conversationUrl);
		expect(saidLast(call)).toEqual({
			verb: 'Say',
			text: 'Hello, this is the test line. How can I help?',
			voice: 'Polly.Joanna',
		});

		// The workflow takes 3 s, the trigger waits 2: the caller hears the fallback at once, the answer follows through the REST API.
		await call.speak('take your time');
		expect(call.documents.at(-1)).toBe(
			`${XML}<Response><Gather input="speech dtmf" actionOnEmptyResult="true"><Say>One moment please.</Say></Gather></Response>`,
		);
		const deadline = Date.now() + 10_000;
		while (
			twilio.requestsTo('POST', `/Calls/${live.sid}.json`).length === 0 &&
			Date.now() < deadline
		)
			await new Promise((resolve) => setTimeout(resolve, 100));
		const [late] = twilio.requestsTo('POST', `/Calls/${live.sid}.json`);
		expect(late.form.Twiml).toContain(
			'<Say voice="Polly.Joanna">You said: take your time. Turn 2,',
		);
		await call.run(String(late.form.Twiml));

		const said = await voiceCommand('set_turn_message', {
			callSid: live.sid,
			text: 'By the way, we open at noon.',
		});
		expect(said).toMatchObject({ status: 'completed', commandIdn: 'set_turn_message' });
		expect(twilio.requestsTo('POST', `/Calls/${live.sid}.json`).at(-1)?.form).toEqual({
			Twiml: `${XML}<Response><Gather input="speech dtmf" action="${conversationUrl}" method="POST" actionOnEmptyResult="true"><Say>By the way, we open at noon.</Say></Gather></Response>`,
		});

		await call.press('0');
		expect(call.documents.at(-1)).toBe(
			`${XML}<Response><Say>Transferring you to a person.</Say><Dial timeout="20"><Number>+16507000099</Number></Dial></Response>`,
		);
		expect(call.log.at(-1)).toEqual({ verb: 'Dial', target: 'Number:+16507000099', timeout: '20' });

		const events = await waitForEvents(live.sid, 4);
		expect(events.map((event) => event.event)).toEqual([
			'call_started',
			'user_message',
			'dtmf',
			'call_ended',
		]);
		expect(events[0]).toMatchObject({
			awaitingReply: true,
			turn: 1,
			direction: 'inbound',
			from: '+16507000002',
		});
		expect(events[2]).toMatchObject({ digits: '0', turn: 3 });
		const actor = await storedActor(store, {
			integrationIdn: 'twilio_voice',
			connectorIdn: 'voice_conv',
			externalId: '+16507000002',
		});
		expect(actor?.personaId).toBe(events[0].personaId);
	});

	test('the example workflow (no model configured) holds a conversation', async () => {
		const exampleUrl = conversationUrl.replace(/e2e-call$/, 'call');
		const live = twilio.addCall({
			status: 'in-progress',
			direction: 'inbound',
			from: '+16507000004',
			to: '+16505550100',
		});
		const call = new SimulatedCall(
			{
				accountSid: ACCOUNT_SID,
				callSid: live.sid,
				from: '+16507000004',
				to: '+16505550100',
				direction: 'inbound',
			},
			accountToken,
		);
		await call.connect(exampleUrl);
		await call.speak('what are your opening hours');
		await call.stayQuiet();
		await call.speak('ok bye');
		expect(call.log).toEqual([
			{ verb: 'Say', text: 'Hello! How can I help you today?' },
			{ verb: 'Say', text: 'You said: what are your opening hours' },
			{ verb: 'Say', text: 'Are you still there?' },
			{ verb: 'Say', text: 'Goodbye!' },
		]);
		expect(call.documents.at(-1)).toBe(
			`${XML}<Response><Gather input="speech dtmf" action="${exampleUrl}" method="POST" actionOnEmptyResult="true" speechTimeout="auto"><Say>Goodbye!</Say></Gather></Response>`,
		);
	});

	test("the editor's test mode: after 'Execute workflow' the Call Trigger answers one call at its test URL", async () => {
		await n8n.setupOwner();
		const run = await n8n.request('/rest/workflows/e2eCallConvers01/run', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ triggerToStartFrom: { name: 'Call Trigger' } }),
		});
		expect(run.status).toBe(200);
		expect(((await run.json()) as { data: Record<string, unknown> }).data).toMatchObject({
			waitingForWebhook: true,
		});

		const testUrl = conversationUrl.replace('/webhook/', '/webhook-test/');
		const live = twilio.addCall({
			status: 'in-progress',
			direction: 'inbound',
			from: '+16507000005',
			to: '+16505550100',
		});
		const call = new SimulatedCall(
			{
				accountSid: ACCOUNT_SID,
				callSid: live.sid,
				from: '+16507000005',
				to: '+16505550100',
				direction: 'inbound',
			},
			accountToken,
		);
		await call.connect(testUrl);
		// Signed over the test URL, and the conversation goes on there.
		expect(call.documents).toEqual([
			`${XML}<Response><Gather input="speech dtmf" action="${testUrl}" method="POST" actionOnEmptyResult="true" timeout="4" speechTimeout="auto" hints="table, booking"><Say voice="Polly.Joanna">Hello, this is the test line. How can I help?</Say></Gather></Response>`,
		]);
	});

	test('a forged or unsigned webhook gets 403 and starts nothing', async () => {
		const before = (await store.listActs({ connectorIdn: 'call_runs', limit: 1000 })).length;
		const params = {
			AccountSid: ACCOUNT_SID,
			CallSid: 'CA0000000000000000000000000000ffff',
			CallStatus: 'ringing',
			From: '+16507000003',
			To: '+16505550100',
			Direction: 'inbound',
		};
		const forged = await postTwilioWebhook(conversationUrl, params, { authToken: 'someone-else' });
		const unsigned = await postTwilioWebhook(conversationUrl, params, {
			authToken: accountToken,
			signature: null,
		});
		expect([forged.status, unsigned.status]).toEqual([403, 403]);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(await store.listActs({ connectorIdn: 'call_runs', limit: 1000 })).toHaveLength(before);
		expect(
			await store.findSession({
				channel: 'call',
				integrationIdn: 'twilio_voice',
				connectorIdn: 'voice_conv',
				externalKey: params.CallSid,
			}),
		).toBeNull();
	});
});
