import { SqliteStore } from '../../nodes/shared/store/sqlite';
import { N8nInstance, outputOf, type WorkflowJson } from '../support/n8n';
import { MAIN_WHATSAPP, SALES_ASSISTANT, WtsChatServer } from '../support/wtsChatServer';
import { commandCasesWorkflow } from '../support/workflows';

jest.setTimeout(300_000);

const TOKEN = 'dummy-wts-token-for-the-test-server';
const CREDENTIALS = { wtsChatApi: { id: 'e2eWtsChat000001', name: 'WTS Chat (e2e)' } };
/** A second WTS Chat stand-in that starts a chatbot for every request (no deduplication of its own). */
const CARELESS_CREDENTIALS = {
	wtsChatApi: { id: 'e2eWtsCareless01', name: 'WTS Chat (no deduplication)' },
};
const BAD_CREDENTIALS = { wtsChatApi: { id: 'e2eWtsChatBad001', name: 'WTS Chat (wrong token)' } };
const SALES_BOT = SALES_ASSISTANT.key;
const SUPPORT_BOT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const NO_TEMPLATE_BOT = '11111111-2222-4333-8444-555555555555';
const CHANNEL = MAIN_WHATSAPP.humanId;

let workflowCount = 0;

/** Manual Trigger → one Send Chatbot Message node with these parameters (Continue On Fail on). */
function chatbotWorkflow(
	parameters: Record<string, unknown>,
	credentials = CREDENTIALS,
): WorkflowJson {
	workflowCount += 1;
	const id = `e2eWtsChat${String(workflowCount).padStart(6, '0')}`;
	return {
		id,
		name: `E2E: Send Chatbot Message ${id}`,
		nodes: [
			{
				id: '5c1d2e3f-0007-4000-8000-000000000001',
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: '5c1d2e3f-0007-4000-8000-000000000002',
				name: 'Send Chatbot Message',
				type: 'n8n-nodes-agent-connectors.sendChatbotMessage',
				typeVersion: 1,
				position: [220, 0],
				continueOnFail: true,
				parameters: { connectorIdn: 'wts_e2e', ...parameters },
				credentials,
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Send Chatbot Message', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Webhook → Send Chatbot Message with Skip If In Progress for the contact in the body: 50 of these race. */
const raceWorkflow: WorkflowJson = {
	id: 'e2eWtsChatRace01',
	name: 'E2E: executions racing to start the chatbot for one contact',
	nodes: [
		{
			id: '5c1d2e3f-0008-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '5c1d2e3f-0008-4000-8000-0000000000aa',
			parameters: { httpMethod: 'POST', path: 'wts-race', responseMode: 'lastNode', options: {} },
		},
		{
			id: '5c1d2e3f-0008-4000-8000-000000000002',
			name: 'Send Chatbot Message',
			type: 'n8n-nodes-agent-connectors.sendChatbotMessage',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				connectorIdn: 'wts_e2e',
				botKey: { __rl: true, mode: 'id', value: SALES_BOT },
				from: { __rl: true, mode: 'id', value: CHANNEL },
				to: '={{ $json.body.to }}',
				skipIfInProgress: true,
			},
			credentials: CREDENTIALS,
		},
	],
	connections: { Webhook: { main: [[{ node: 'Send Chatbot Message', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

/** The race workflow against the stand-in that does not deduplicate, at its own path. */
const carelessRaceWorkflow: WorkflowJson = {
	...raceWorkflow,
	id: 'e2eWtsChatRace02',
	name: 'E2E: executions racing where only the store guards the start',
	nodes: raceWorkflow.nodes.map((node) =>
		node.name === 'Webhook'
			? {
					...node,
					id: '5c1d2e3f-0009-4000-8000-000000000001',
					webhookId: '5c1d2e3f-0009-4000-8000-0000000000aa',
					parameters: { ...(node.parameters as object), path: 'wts-race-careless' },
				}
			: { ...node, id: '5c1d2e3f-0009-4000-8000-000000000002', credentials: CARELESS_CREDENTIALS },
	),
};

describe('Send Chatbot Message in a real n8n, against a WTS Chat stand-in', () => {
	let n8n: N8nInstance;
	let wts: WtsChatServer;
	let careless: WtsChatServer;

	const run = async (parameters: Record<string, unknown>, credentials = CREDENTIALS) =>
		outputOf(
			await n8n.execute(await n8n.importWorkflow(chatbotWorkflow(parameters, credentials))),
			'Send Chatbot Message',
		);
	const sends = () => wts.bodiesTo('POST', '/chat/v1/chatbot/send');

	beforeAll(async () => {
		wts = await WtsChatServer.start({
			token: TOKEN,
			startDelayMs: 300,
			chatbots: [
				SALES_ASSISTANT,
				{
					id: 'b0000000-0000-4000-8000-000000000002',
					key: SUPPORT_BOT,
					name: 'Support Triage',
					startsWithTemplate: true,
				},
				{
					id: 'b0000000-0000-4000-8000-000000000003',
					key: NO_TEMPLATE_BOT,
					name: 'Sales Follow-up (no template)',
					startsWithTemplate: false,
				},
			],
			channels: [MAIN_WHATSAPP],
		});
		careless = await WtsChatServer.start({
			token: TOKEN,
			deduplicate: false,
			chatbots: [SALES_ASSISTANT],
			channels: [MAIN_WHATSAPP],
		});
		n8n = await N8nInstance.create();
		await n8n.importCredentials([
			{
				...CARELESS_CREDENTIALS.wtsChatApi,
				type: 'wtsChatApi',
				data: { token: TOKEN, baseUrl: careless.baseUrl },
			},
			{
				...CREDENTIALS.wtsChatApi,
				type: 'wtsChatApi',
				data: { token: TOKEN, baseUrl: wts.baseUrl },
			},
			{
				...BAD_CREDENTIALS.wtsChatApi,
				type: 'wtsChatApi',
				data: { token: 'not-the-token', baseUrl: wts.baseUrl },
			},
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await wts?.close();
		await careless?.close();
	});

	test('every option reaches the body as set, false included; the output is the session; the store keeps it with its metadata', async () => {
		const [item] = await run({
			botKey: { __rl: true, mode: 'list', value: SALES_BOT, cachedResultName: 'Sales Assistant' },
			from: { __rl: true, mode: 'list', value: CHANNEL },
			to: '5511988887777',
			forceStartSession: true,
			skipIfBotInExecution: false,
			skipIfInProgress: false,
			sessionMetadata: {
				pairs: [
					{ key: 'orderId', value: 'A-17' },
					{ key: 'Order Source', value: 'n8n' },
				],
			},
			contactMetadata: { pairs: [{ key: 'tier', value: 'gold' }] },
			options: {
				hiddenSession: false,
				senderId: 'n8n-e2e-1',
				callbackUrl: 'https://example.com/wts-callback',
			},
		});
		expect(sends()).toEqual([
			{
				botKey: SALES_BOT,
				from: CHANNEL,
				to: '5511988887777',
				options: {
					skipIfBotInExecution: false,
					skipIfInProgress: false,
					forceStartSession: true,
					hiddenSession: false,
				},
				sessionMetadata: { orderId: 'A-17', 'Order Source': 'n8n' },
				contactMetadata: { tier: 'gold' },
				senderId: 'n8n-e2e-1',
				callbackUrl: 'https://example.com/wts-callback',
			},
		]);
		expect(item.json).toMatchObject({
			id: expect.any(String),
			status: 'IN_PROGRESS',
			number: '5511988887777',
			metadata: { orderId: 'A-17', 'Order Source': 'n8n' },
		});
		expect(item.pairedItem).toEqual({ item: 0 });

		const store = new SqliteStore(n8n.storePath);
		try {
			const session = await store.findSession({
				channel: 'chat',
				integrationIdn: 'wts_chat',
				connectorIdn: 'wts_e2e',
				externalKey: `${CHANNEL}|5511988887777`,
			});
			expect(session?.metadata).toEqual({
				orderId: 'A-17',
				'Order Source': 'n8n',
				wtsSessionId: item.json.id,
			});
		} finally {
			await store.close();
		}
	});

	test('the queued endpoint answers a send status, and waiting follows it until it leaves PROCESSING / QUEUED', async () => {
		const [queued] = await run({
			botKey: { __rl: true, mode: 'id', value: SUPPORT_BOT },
			from: { __rl: true, mode: 'id', value: CHANNEL },
			to: '5511911112222',
			endpoint: 'queued',
		});
		expect(queued.json).toMatchObject({
			id: expect.any(String),
			status: 'QUEUED',
			sessionId: null,
		});
		const [waited] = await run({
			botKey: { __rl: true, mode: 'id', value: SUPPORT_BOT },
			from: { __rl: true, mode: 'id', value: CHANNEL },
			to: '5511933334444',
			endpoint: 'queued',
			waitForSend: true,
			waitTimeout: 20,
		});
		expect(waited.json).toMatchObject({ status: 'SENT', sessionId: expect.any(String) });
		expect(
			wts.requests.filter(
				(request) =>
					request.method === 'GET' &&
					request.url.startsWith(`/chat/v1/send/chatbot/${String(waited.json.id)}`),
			),
		).toHaveLength(2);
		expect(wts.bodiesTo('POST', '/chat/v1/send/chatbot').map((body) => body.to)).toEqual([
			'5511911112222',
			'5511933334444',
		]);
	});

	test('401, 429 and 400 answers, and bad input: errors that say what to fix; nothing sent for bad input', async () => {
		const base = {
			botKey: { __rl: true, mode: 'id', value: SALES_BOT },
			from: { __rl: true, mode: 'id', value: CHANNEL },
		};
		const [unauthorized] = await run({ ...base, to: '5511955556666' }, BAD_CREDENTIALS);
		expect(unauthorized.json).toEqual({
			error: 'WTS Chat answered 401: Unauthorized: invalid token',
			httpCode: '401',
			description: 'Check the API token of the WTS Chat API credential',
		});

		const startsBefore = wts.starts.length;
		wts.throttleNext(2);
		const [throttled] = await run({ ...base, to: '5511955557777' });
		expect(throttled.json).toMatchObject({ status: 'IN_PROGRESS' });
		expect(wts.starts.length - startsBefore).toBe(1);

		const [noTemplate] = await run({
			...base,
			botKey: { __rl: true, mode: 'id', value: NO_TEMPLATE_BOT },
			to: '5511955558888',
		});
		expect(noTemplate.json).toMatchObject({
			error:
				'WTS Chat answered 400: A WhatsApp conversation can only be started with a message template',
			httpCode: '400',
		});
		expect(String(noTemplate.json.description)).toMatch(/approved message template/);

		const before = wts.requests.length;
		const cases: Array<[Record<string, unknown>, RegExp | string]> = [
			[
				{ ...base },
				"Argument 'to' is required unless a sessionId names the conversation (field 'to', item 0)",
			],
			[
				{
					...base,
					botKey: { __rl: true, mode: 'id', value: 'Sales Assistant' },
					to: '5511955559999',
				},
				/^Argument 'botKey' must be a chatbot key \(a UUID\)/,
			],
			[
				{ ...base, sessionId: 'not-a-session', to: '5511955559999' },
				/^Argument 'sessionId' must be a WTS Chat session ID/,
			],
			[
				{ botKey: base.botKey, to: '5511955559999' },
				"Argument 'from' is required unless a sessionId names the conversation (field 'from', item 0)",
			],
		];
		for (const [parameters, message] of cases) {
			const [item] = await run(parameters);
			expect(item.json.error).toEqual(
				typeof message === 'string' ? message : expect.stringMatching(message),
			);
		}
		expect(wts.requests.length).toBe(before);
	});

	test('Send Command wts_chat send_chatbot sends the same request', async () => {
		const execution = await n8n.execute(
			await n8n.importWorkflow(
				commandCasesWorkflow({
					id: 'e2eWtsChatCmd001',
					integrationIdn: 'wts_chat',
					commandIdn: 'send_chatbot',
					connectorIdn: 'wts_e2e',
					cases: [
						{
							botKey: SUPPORT_BOT,
							from: CHANNEL,
							to: '5511944445555',
							skipIfBotInExecution: false,
							sessionMetadata: { origin: 'command' },
						},
						// The editor refuses to run a node whose required Chatbot is empty; Send Command gets it as data.
						{ from: CHANNEL, to: '5511944446666' },
					],
					credentials: CREDENTIALS,
				}),
			),
		);
		expect(outputOf(execution, 'Send Command')[0].json).toMatchObject({
			integrationIdn: 'wts_chat',
			commandIdn: 'send_chatbot',
			status: 'completed',
			result: expect.objectContaining({ status: 'IN_PROGRESS' }),
		});
		expect(sends().at(-1)).toEqual({
			botKey: SUPPORT_BOT,
			from: CHANNEL,
			to: '5511944445555',
			// Flags not given go as false, as the typed node sends them.
			options: { skipIfBotInExecution: false, skipIfInProgress: false, forceStartSession: false },
			sessionMetadata: { origin: 'command' },
		});
		expect(outputOf(execution, 'Send Command')[1].json.error).toBe(
			"Argument 'botKey' is required (field 'botKey', item 1)",
		);
	});
	test("the Chatbot and From pickers list the account's chatbots and channels through n8n's editor API", async () => {
		await n8n.start();
		await n8n.setupOwner();
		const search = async (methodName: string, filter?: string) => {
			const response = await n8n.request('/rest/dynamic-node-parameters/resource-locator-results', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					path: methodName === 'searchChatbots' ? 'botKey' : 'from',
					methodName,
					filter,
					nodeTypeAndVersion: { name: 'n8n-nodes-agent-connectors.sendChatbotMessage', version: 1 },
					currentNodeParameters: { connectorIdn: 'wts_e2e' },
					credentials: CREDENTIALS,
				}),
			});
			expect(response.status).toBe(200);
			return (
				(await response.json()) as { data: { results: Array<{ name: string; value: string }> } }
			).data.results;
		};
		expect(await search('searchChatbots')).toEqual([
			{ name: 'Sales Assistant', value: SALES_BOT },
			{ name: 'Support Triage', value: SUPPORT_BOT },
			{ name: 'Sales Follow-up (no template)', value: NO_TEMPLATE_BOT },
		]);
		expect(await search('searchChatbots', 'support')).toEqual([
			{ name: 'Support Triage', value: SUPPORT_BOT },
		]);
		expect(await search('searchChannels')).toEqual([
			{ name: `Main WhatsApp (${CHANNEL})`, value: CHANNEL },
		]);
		expect(
			wts.requests.some(
				(request) =>
					request.url.startsWith('/chat/v1/chatbot?') && request.url.includes('Name=support'),
			),
		).toBe(true);
	});

	test('50 executions racing with Skip If In Progress for one contact start the chatbot once', async () => {
		await n8n.stop();
		await n8n.activate(await n8n.importWorkflow(raceWorkflow));
		await n8n.activate(await n8n.importWorkflow(carelessRaceWorkflow));
		await n8n.start();
		await n8n.waitForWebhook('wts-race');
		await n8n.waitForWebhook('wts-race-careless');
		const contact = '5511977776666';
		const answers = await Promise.all(
			Array.from({ length: 50 }, async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/wts-race`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ to: contact }),
				});
				return (await response.json()) as Record<string, unknown>;
			}),
		);
		expect(answers).toHaveLength(50);
		expect(wts.starts.filter((start) => start.contact === contact)).toHaveLength(1);
		// The others were skipped: by the store while the first start was in flight, by WTS Chat once its conversation existed.
		const skippedHere = answers.filter((answer) => answer.skipped === true).length;
		const answeredByWts = answers.filter((answer) => answer.status === 'IN_PROGRESS').length;
		expect(skippedHere + answeredByWts).toBe(50);
		expect(skippedHere).toBeGreaterThan(0);
	});

	/** One execution per contact, racing while the stand-in holds every start (see raceWhileStartsAreHeld). */
	async function raceWhileStartsAreHeld(
		contacts: string[],
	): Promise<Array<Record<string, unknown>>> {
		return await careless.raceWhileStartsAreHeld(
			contacts.map((to) => async () => {
				const response = await fetch(`${n8n.baseUrl}/webhook/wts-race-careless`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ to }),
				});
				return (await response.json()) as Record<string, unknown>;
			}),
		);
	}

	test('100 executions for one contact start the chatbot exactly once even where WTS Chat would start it again', async () => {
		const contact = '5511966665555';
		const answers = await raceWhileStartsAreHeld(Array.from({ length: 100 }, () => contact));
		expect(careless.starts.filter((start) => start.contact === contact)).toHaveLength(1);
		expect(answers.filter((answer) => answer.skipped === true)).toHaveLength(99);
	});

	test('100 executions for 100 contacts start 100 chatbots, one per contact', async () => {
		const contacts = Array.from(
			{ length: 100 },
			(_, index) => `55119555${String(index).padStart(5, '0')}`,
		);
		const answers = await raceWhileStartsAreHeld(contacts);
		const started = careless.starts.filter((start) => contacts.includes(start.contact));
		expect(started).toHaveLength(100);
		expect(new Set(started.map((start) => start.contact)).size).toBe(100);
		expect(answers.filter((answer) => answer.skipped === true)).toHaveLength(0);
	});
});
