import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, N8nInstance, outputOf, PROJECT_ROOT, type WorkflowJson } from '../support/n8n';
import { TwilioServer } from '../support/twilioServer';
import {
	incomingMessageParams,
	messageStatusParams,
	postTwilioWebhook,
	twilioSignature,
} from '../support/twilioWebhooks';
import {
	commandCasesWorkflow,
	readUntil,
	recordedArguments,
	workflowFrom,
} from '../support/workflows';
import { storedActor } from '../store/reads';

jest.setTimeout(300_000);

const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const accountToken = 'dummy-auth-token-for-sms-webhooks';
const TENANT = '+16505550100';
const USER = '+16507000001';
const CREDENTIALS = { agentTwilioApi: { id: 'e2eTwilioSms0001', name: 'Twilio (e2e)' } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Turn = Record<string, unknown>;

describe('SMS Trigger in a real n8n: Twilio webhooks, sessions, timeouts and no-input turns', () => {
	let n8n: N8nInstance;
	let twilio: TwilioServer;
	let store: SqliteStore;
	let webhookBase: string;
	let commandRuns = 0;

	const turnsOf = async (connectorIdn: string): Promise<Turn[]> =>
		await recordedArguments(store, connectorIdn);
	const waitForTurns = async (connectorIdn: string, count: number): Promise<Turn[]> =>
		await readUntil(() => turnsOf(connectorIdn), count);
	/** Runs one session command through Send Command in a separate `n8n execute`, as a workflow would. */
	const sessionCommand = async (commandIdn: string, args: Record<string, unknown>) => {
		commandRuns += 1;
		const workflow = commandCasesWorkflow({
			id: `e2eSmsCmd${String(commandRuns).padStart(7, '0')}`,
			integrationIdn: 'twilio_messenger',
			commandIdn,
			connectorIdn: 'sms_e2e',
			cases: [{ tenantPhoneNumber: TENANT, ...args }],
			credentials: { agentTwilioApi: { id: 'e2eTwilioSms0001', name: 'Twilio (e2e)' } },
		});
		return outputOf(await n8n.execute(await n8n.importWorkflow(workflow)), 'Send Command')[0].json;
	};
	/** The message forms the Twilio stand-in received for `user`. */
	const messagesTo = (user: string) =>
		twilio
			.requestsTo('POST', '/Messages.json')
			.filter((request) => request.form.To === user)
			.map((request) => request.form);
	/** The forms for `user` once at least one has arrived (or `timeoutMs` passed). */
	const waitForMessagesTo = async (user: string, timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		while (messagesTo(user).length === 0 && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 200));
		return messagesTo(user);
	};
	const message = (
		body: string,
		from = USER,
		media?: Array<{ url: string; contentType: string }>,
	) => incomingMessageParams({ accountSid: ACCOUNT_SID, from, to: TENANT, body, media });

	beforeAll(async () => {
		twilio = await TwilioServer.start({ accountSid: ACCOUNT_SID, authToken: accountToken });
		const port = await freePort();
		// n8n signs nothing itself: it checks against the public URL Twilio was given, here its own.
		webhookBase = `http://127.0.0.1:${port}/webhook`;
		n8n = await N8nInstance.create({ port, env: { WEBHOOK_URL: `http://127.0.0.1:${port}/` } });
		await n8n.importCredentials([
			{
				id: 'e2eTwilioSms0001',
				name: 'Twilio (e2e)',
				type: 'agentTwilioApi',
				data: {
					accountSid: ACCOUNT_SID,
					authType: 'authToken',
					authToken: accountToken,
					baseUrl: twilio.baseUrl,
				},
			},
		]);
		await n8n.activate(await n8n.importWorkflow(workflowFrom('sms-trigger-observer.json')));
		await n8n.activate(await n8n.importWorkflow(workflowFrom('sms-trigger-proxy.json')));
		await n8n.activate(await n8n.importWorkflow(workflowFrom('sms-trigger-reply.json')));
		await n8n.activate(await n8n.importWorkflow(workflowFrom('sms-trigger-late-reply.json')));
		// The example as a user has it once they selected their credential.
		const example = JSON.parse(
			readFileSync(join(PROJECT_ROOT, 'examples', 'sms-conversation.json'), 'utf8'),
		) as WorkflowJson;
		for (const node of example.nodes)
			if (String(node.type).startsWith('n8n-nodes-agent-connectors.'))
				node.credentials = CREDENTIALS;
		await n8n.activate(await n8n.importWorkflow(example));
		await n8n.start();
		await n8n.waitForWebhook('e2e-sms');
		await n8n.waitForWebhook('e2e-sms-reply');
		await n8n.waitForWebhook('e2e-sms-late');
		store = new SqliteStore(n8n.storePath);
	});

	afterAll(async () => {
		await store?.close();
		await n8n?.dispose();
		await twilio?.close();
	});

	afterEach(() => expect(twilio.violations).toEqual([]));

	test('a signed incoming MMS starts a turn with every state variable; persona, actor and session are stored; Twilio gets empty TwiML', async () => {
		const params = message('Hi, I need help', USER, [
			{
				url: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1',
				contentType: 'image/jpeg',
			},
			{
				url: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME2',
				contentType: 'audio/amr',
			},
		]);
		const response = await postTwilioWebhook(`${webhookBase}/e2e-sms`, params, {
			authToken: accountToken,
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
		expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');

		const [turn] = await waitForTurns('sms_runs', 1);
		expect(turn).toEqual({
			event: 'message',
			text: 'Hi, I need help',
			smsTenantPhoneNumber: TENANT,
			smsUserPhoneNumber: USER,
			smsSessionID: expect.stringMatching(UUID),
			smsUserData: null,
			smsSessionTimeoutCount: null,
			smsError: null,
			smsMedia: [
				{
					mediaURL: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME1',
					mediaContentType: 'image/jpeg',
				},
				{
					mediaURL: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM1/Media/ME2',
					mediaContentType: 'audio/amr',
				},
			],
			messageSid: expect.stringMatching(/^MM[0-9a-f]{32}$/),
			messageStatus: 'received',
			personaId: expect.any(String),
			sessionId: expect.any(String),
			connectorIdn: 'sms_e2e',
			twilio: params,
		});
		const actor = await storedActor(store, {
			integrationIdn: 'twilio_messenger',
			connectorIdn: 'sms_e2e',
			externalId: USER,
		});
		expect(actor?.personaId).toBe(turn.personaId);
		const session = await store.getSession(String(turn.sessionId));
		expect(session).toMatchObject({
			channel: 'sms',
			externalKey: `${TENANT}|${USER}`,
			status: 'active',
			personaId: turn.personaId,
		});
	});

	test('a forged or missing signature gets 403 and starts nothing; so does a signature over another URL', async () => {
		const before = (await turnsOf('sms_runs')).length;
		const params = message('forged');
		const forged = await postTwilioWebhook(`${webhookBase}/e2e-sms`, params, {
			authToken: 'not-the-auth-token',
		});
		const missing = await postTwilioWebhook(`${webhookBase}/e2e-sms`, params, {
			authToken: accountToken,
			signature: null,
		});
		const otherUrl = await postTwilioWebhook(`${webhookBase}/e2e-sms`, params, {
			authToken: accountToken,
			signedUrl: 'https://evil.example.com/webhook/e2e-sms',
		});
		const tampered = await postTwilioWebhook(
			`${webhookBase}/e2e-sms`,
			{ ...params, Body: 'changed' },
			{
				authToken: accountToken,
				signature: twilioSignature(accountToken, `${webhookBase}/e2e-sms`, params),
			},
		);
		expect([forged.status, missing.status, otherUrl.status, tampered.status]).toEqual([
			403, 403, 403, 403,
		]);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(await turnsOf('sms_runs')).toHaveLength(before);
	});

	test('a status callback reporting failed becomes smsError; delivered starts nothing', async () => {
		const before = (await turnsOf('sms_runs')).length;
		const delivered = await postTwilioWebhook(
			`${webhookBase}/e2e-sms`,
			messageStatusParams({
				accountSid: ACCOUNT_SID,
				messageSid: 'SM0123456789abcdef0123456789abcdef',
				from: TENANT,
				to: USER,
				status: 'delivered',
			}),
			{ authToken: accountToken },
		);
		expect(delivered.status).toBe(200);
		const failed = await postTwilioWebhook(
			`${webhookBase}/e2e-sms`,
			messageStatusParams({
				accountSid: ACCOUNT_SID,
				messageSid: 'SM00000000000000000000000000000001',
				from: TENANT,
				to: USER,
				status: 'failed',
				errorCode: 30008,
			}),
			{ authToken: accountToken },
		);
		expect(failed.status).toBe(200);
		const turns = await waitForTurns('sms_runs', before + 1);
		expect(turns.slice(before)).toEqual([
			expect.objectContaining({
				event: 'smsError',
				text: 'smsError',
				smsTenantPhoneNumber: TENANT,
				smsUserPhoneNumber: USER,
				smsSessionID: expect.stringMatching(UUID),
				smsError: {
					status: 'failed',
					messageSid: 'SM00000000000000000000000000000001',
					code: 30008,
					message: null,
					moreInfo: 'https://www.twilio.com/docs/errors/30008',
				},
			}),
		]);
	});

	test('session timeout: Set Session Timeout 2 s, the user stays silent, the trigger gets smsResponseTimeout once; a reply restarts the count', async () => {
		const before = (await turnsOf('sms_runs')).length;
		const set = await sessionCommand('set_session_timeout', { phoneNumber: USER, count: 2 });
		expect(set).toMatchObject({
			status: 'completed',
			result: expect.objectContaining({ smsSessionTimeoutCount: 2, smsUserPhoneNumber: USER }),
		});

		const turns = await waitForTurns('sms_runs', before + 1);
		expect(turns.slice(before)).toEqual([
			expect.objectContaining({
				event: 'smsResponseTimeout',
				text: 'smsResponseTimeout',
				smsSessionTimeoutCount: 2,
				smsUserPhoneNumber: USER,
				smsError: null,
				smsMedia: [],
			}),
		]);
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		expect(await turnsOf('sms_runs')).toHaveLength(before + 1);

		// Writing again starts the silence over: a timeout follows the message, not before it.
		const sent = Date.now();
		await postTwilioWebhook(`${webhookBase}/e2e-sms`, message('still there?'), {
			authToken: accountToken,
		});
		const after = await waitForTurns('sms_runs', before + 3);
		expect(after.slice(before + 1).map((turn) => turn.event)).toEqual([
			'message',
			'smsResponseTimeout',
		]);
		const timeoutAct = (await store.listActs({ connectorIdn: 'sms_runs', limit: 1000 })).sort(
			(a, b) => b.createdAt - a.createdAt,
		)[0];
		expect(timeoutAct.createdAt - sent).toBeGreaterThanOrEqual(2_000);
		await sessionCommand('set_session_timeout', { phoneNumber: USER, count: 0 });
	});

	test('Force No-Input Turn delivers smsNoInputTurn; Terminate Session ends the session and the next message starts a new one', async () => {
		const before = await turnsOf('sms_runs');
		const sessionID = before.at(-1)?.smsSessionID;
		const forced = await sessionCommand('force_no_input_turn', { phoneNumber: USER });
		expect(forced).toMatchObject({
			status: 'completed',
			result: expect.objectContaining({ noInputTurn: true, smsSessionID: sessionID }),
		});
		const turns = await waitForTurns('sms_runs', before.length + 1);
		expect(turns.at(-1)).toMatchObject({
			event: 'smsNoInputTurn',
			text: 'smsNoInputTurn',
			smsSessionID: sessionID,
			smsUserPhoneNumber: USER,
		});

		const terminated = await sessionCommand('terminate_session', { phoneNumber: USER });
		expect(terminated).toMatchObject({
			status: 'completed',
			result: expect.objectContaining({ terminated: true, status: 'ended' }),
		});
		const noSession = await sessionCommand('force_no_input_turn', { phoneNumber: USER });
		expect(noSession.error).toMatch(
			/^Argument 'phoneNumber' has no active SMS session with \+16505550100 .*\(field 'phoneNumber', item 0\)$/,
		);

		await postTwilioWebhook(`${webhookBase}/e2e-sms`, message('hello again'), {
			authToken: accountToken,
		});
		const next = await waitForTurns('sms_runs', before.length + 2);
		expect(next.at(-1)).toMatchObject({
			event: 'message',
			text: 'hello again',
			smsSessionID: expect.stringMatching(UUID),
		});
		expect(next.at(-1)?.smsSessionID).not.toBe(sessionID);
	});

	test('Start Session carries smsUserData into every turn; bad input names the field and the item', async () => {
		const other = '+16507000002';
		const started = await sessionCommand('start_session', {
			phoneNumber: other,
			userData: { orderId: 'A-17', vip: true },
			count: 600,
		});
		expect(started).toMatchObject({
			result: expect.objectContaining({
				started: true,
				smsUserData: { orderId: 'A-17', vip: true },
				smsSessionTimeoutCount: 600,
			}),
		});
		await postTwilioWebhook(`${webhookBase}/e2e-sms`, message('where is my order?', other), {
			authToken: accountToken,
		});
		const turns = await waitForTurns('sms_runs', (await turnsOf('sms_runs')).length + 1);
		expect(turns.at(-1)).toMatchObject({
			smsUserPhoneNumber: other,
			smsUserData: { orderId: 'A-17', vip: true },
			smsSessionTimeoutCount: 600,
		});

		const bad = await n8n.execute(
			await n8n.importWorkflow(
				commandCasesWorkflow({
					id: 'e2eSmsCmdBad0001',
					integrationIdn: 'twilio_messenger',
					commandIdn: 'set_session_timeout',
					connectorIdn: 'sms_e2e',
					cases: [
						{ tenantPhoneNumber: TENANT, phoneNumber: '6507000001', count: 5 },
						{ tenantPhoneNumber: TENANT, phoneNumber: USER, count: -1 },
						{ tenantPhoneNumber: TENANT, phoneNumber: USER },
					],
					credentials: { agentTwilioApi: { id: 'e2eTwilioSms0001', name: 'Twilio (e2e)' } },
				}),
			),
		);
		expect(outputOf(bad, 'Send Command').map((item) => item.json.error)).toEqual([
			expect.stringMatching(
				/^Argument 'phoneNumber' must be an E\.164 number .* \(field 'phoneNumber', item 0\)$/,
			),
			expect.stringMatching(
				/^Argument 'count' must be a whole number of seconds .* \(field 'count', item 1\)$/,
			),
			"Argument 'count' is required (field 'count', item 2)",
		]);
	});

	test('Send Media (seed smsActSendMedia) sends the user an MMS of the listed URLs; more than 10 is refused before sending', async () => {
		const urls = ['https://example.com/media/first.gif', 'https://example.com/media/second.gif'];
		const sent = await sessionCommand('send_media', {
			phoneNumber: USER,
			from: TENANT,
			mediaURL: urls,
			text: 'Here you go',
		});
		expect(sent).toMatchObject({
			commandIdn: 'send_media',
			status: 'sent',
			externalId: expect.stringMatching(/^MM[0-9a-f]{32}$/),
		});
		const forms = twilio.requestsTo('POST', '/Messages.json').map((request) => request.form);
		// Sent on sms_e2e: its status goes to the first registered of the two SMS Triggers listening there.
		expect(forms).toEqual([
			{
				To: USER,
				From: TENANT,
				Body: 'Here you go',
				MediaUrl: urls,
				StatusCallback: expect.any(String),
			},
		]);
		expect([
			`${webhookBase}/e2e-sms`,
			'https://sms.example.com/hooks/twilio?tenant=main',
		]).toContain(forms[0].StatusCallback);

		const tooMany = await sessionCommand('send_media', {
			phoneNumber: USER,
			from: TENANT,
			mediaURL: Array.from({ length: 11 }, (_, index) => `https://example.com/${index}.png`),
		});
		expect(tooMany.error).toBe(
			"Argument 'mediaURL' has 11 URLs; Twilio takes at most 10 per message (field 'mediaURL', item 0)",
		);
		expect(twilio.requestsTo('POST', '/Messages.json')).toHaveLength(1);
	});

	test('the example: a message is answered and the session gets a 5-minute timeout', async () => {
		const tenant = '+16505550177';
		const user = '+16507000077';
		await postTwilioWebhook(
			`${webhookBase}/sms`,
			incomingMessageParams({
				accountSid: ACCOUNT_SID,
				from: user,
				to: tenant,
				body: 'Do you deliver?',
			}),
			{ authToken: accountToken },
		);
		const deadline = Date.now() + 20_000;
		expect(await waitForMessagesTo(user, 20_000)).toEqual([
			{
				To: user,
				From: tenant,
				Body: 'Thanks! You wrote: Do you deliver?',
				// The reply is sent on the trigger's connector: its status comes back to the trigger.
				StatusCallback: `${webhookBase}/sms`,
			},
		]);
		let session = await store.findSession({
			channel: 'sms',
			integrationIdn: 'twilio_messenger',
			connectorIdn: 'twilio_messenger',
			externalKey: `${tenant}|${user}`,
		});
		while (session?.timeoutSeconds !== 300 && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			session = await store.findSession({
				channel: 'sms',
				integrationIdn: 'twilio_messenger',
				connectorIdn: 'twilio_messenger',
				externalKey: `${tenant}|${user}`,
			});
		}
		expect(session).toMatchObject({ status: 'active', timeoutSeconds: 300 });
	});

	test('behind a proxy: the signature is checked against the Public URL option; Reply Message answers at once; other tenant numbers are ignored', async () => {
		const publicUrl = 'https://sms.example.com/hooks/twilio?tenant=main';
		const params = incomingMessageParams({
			accountSid: ACCOUNT_SID,
			from: USER,
			to: '+16505550199',
			body: 'via proxy',
		});
		const response = await postTwilioWebhook(`${webhookBase}/e2e-sms-proxy`, params, {
			authToken: accountToken,
			signedUrl: publicUrl,
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks, we got your message</Message></Response>',
		);
		expect(await waitForTurns('sms_runs_proxy', 1)).toEqual([
			expect.objectContaining({ text: 'via proxy', smsTenantPhoneNumber: '+16505550199' }),
		]);

		const ownUrl = await postTwilioWebhook(`${webhookBase}/e2e-sms-proxy`, params, {
			authToken: accountToken,
		});
		expect(ownUrl.status).toBe(403);
		const otherTenant = incomingMessageParams({
			accountSid: ACCOUNT_SID,
			from: USER,
			to: TENANT,
			body: 'wrong number',
		});
		const ignored = await postTwilioWebhook(`${webhookBase}/e2e-sms-proxy`, otherTenant, {
			authToken: accountToken,
			signedUrl: publicUrl,
		});
		expect(ignored.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 1_500));
		expect(await turnsOf('sms_runs_proxy')).toHaveLength(1);
	});
	test("Response Timeout: Twilio's request waits for the workflow's reply and gets it as TwiML, not through the API", async () => {
		const user = '+16507000031';
		const started = Date.now();
		const response = await postTwilioWebhook(
			`${webhookBase}/e2e-sms-reply`,
			message('do you open on Sundays?', user),
			{ authToken: accountToken },
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
		// The reply names its status callback as the <Message> action: the SMS Trigger listening on its connector.
		expect(await response.text()).toBe(
			`<?xml version="1.0" encoding="UTF-8"?><Response><Message action="${webhookBase}/e2e-sms-reply" method="POST">You wrote: do you open on Sundays?</Message></Response>`,
		);
		expect(Date.now() - started).toBeLessThan(10_000);
		const [act] = await readUntil(
			async () => await store.listActs({ connectorIdn: 'sms_reply', limit: 10 }),
			1,
		);
		expect(act).toMatchObject({
			commandIdn: 'send_message',
			status: 'sent',
			result: expect.objectContaining({ deliveredBy: 'webhook', messageSid: null, to: user }),
		});
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		expect(messagesTo(user)).toEqual([]);
	});

	test('Response Timeout: a reply after it goes through the API; Twilio got empty TwiML when it ran out', async () => {
		const user = '+16507000032';
		const started = Date.now();
		const response = await postTwilioWebhook(
			`${webhookBase}/e2e-sms-late`,
			message('are you there?', user),
			{ authToken: accountToken },
		);
		const waited = Date.now() - started;
		expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
		expect(waited).toBeGreaterThanOrEqual(900);
		expect(waited).toBeLessThan(3_000);
		expect(await waitForMessagesTo(user, 30_000)).toEqual([
			{
				To: user,
				From: TENANT,
				Body: 'You wrote: are you there?',
				StatusCallback: `${webhookBase}/e2e-sms-late`,
			},
		]);
	});

	test('session actions under their other names, in the action form {command, parameters}, find the session by smsSessionID', async () => {
		const user = '+16507000041';
		const before = (await turnsOf('sms_runs')).length;
		await postTwilioWebhook(`${webhookBase}/e2e-sms`, message('hi', user), {
			authToken: accountToken,
		});
		const first = (await waitForTurns('sms_runs', before + 1)).at(-1);
		expect(first).toMatchObject({
			smsUserPhoneNumber: user,
			smsSessionID: expect.stringMatching(UUID),
		});
		const smsSessionID = String(first?.smsSessionID);
		let runs = 0;
		const run = async (commandIdn: string, args: Record<string, unknown>) => {
			runs += 1;
			const workflow = commandCasesWorkflow({
				id: `e2eSmsAction${String(runs).padStart(4, '0')}`,
				integrationIdn: 'twilio_messenger',
				commandIdn,
				connectorIdn: 'sms_e2e',
				cases: [args],
				credentials: CREDENTIALS,
			});
			return outputOf(await n8n.execute(await n8n.importWorkflow(workflow)), 'Send Command')[0]
				.json;
		};

		// The seed's own action, as the string an argument carries; the session named only by its ID.
		const timeout = await run('smsAction', {
			smsAction: '{"command": "setSessionTimeoutCount", "parameters": {"count": 200}}',
			smsSessionID,
		});
		expect(timeout).toMatchObject({
			commandIdn: 'set_session_timeout',
			status: 'completed',
			arguments: { count: 200, smsSessionID },
			result: expect.objectContaining({
				smsSessionID,
				smsSessionTimeoutCount: 200,
				smsUserPhoneNumber: user,
			}),
		});

		const forced = await run('smsActForceNoInputTurn', { smsSessionID });
		expect(forced).toMatchObject({ commandIdn: 'force_no_input_turn', status: 'completed' });
		expect((await waitForTurns('sms_runs', before + 2)).at(-1)).toMatchObject({
			event: 'smsNoInputTurn',
			smsSessionID,
			smsUserPhoneNumber: user,
			smsSessionTimeoutCount: 200,
		});

		const media = [
			'https://exampleonly.com/media/first.gif',
			'https://exampleonly.com/media/second.gif',
		];
		const sent = await run('smsActSendMedia', {
			output: { smsAction: { command: 'smsActSendMedia', parameters: { mediaURL: media } } },
			smsSessionID,
		});
		expect(sent).toMatchObject({ commandIdn: 'send_media', status: 'sent' });
		const mediaForms = messagesTo(user);
		expect(mediaForms).toEqual([
			{ To: user, From: TENANT, MediaUrl: media, StatusCallback: expect.any(String) },
		]);
		// Either of the two SMS Triggers listening on sms_e2e, whichever registered first.
		expect([
			`${webhookBase}/e2e-sms`,
			'https://sms.example.com/hooks/twilio?tenant=main',
		]).toContain(mediaForms[0].StatusCallback);

		const terminated = await run('smsAction', { command: 'terminateSession', smsSessionID });
		expect(terminated).toMatchObject({
			commandIdn: 'terminate_session',
			result: expect.objectContaining({ terminated: true, status: 'ended' }),
		});
		const gone = await run('terminateSession', { smsSessionID });
		expect(gone.error).toBe(
			`Argument 'smsSessionID' names no active SMS session on connector sms_e2e: "${smsSessionID}" (field 'smsSessionID', item 0)`,
		);
	});
});
