import type {
	IExecuteFunctions,
	IHookFunctions,
	INode,
	ITriggerFunctions,
	Workflow,
} from 'n8n-workflow';

import { CallTrigger } from '../../nodes/CallTrigger/CallTrigger.node';
import { HttpResultTrigger } from '../../nodes/HttpResultTrigger/HttpResultTrigger.node';
import { TimerTrigger } from '../../nodes/TimerTrigger/TimerTrigger.node';
import { prepareCommand } from '../../nodes/shared/commands/execute';
import type { CommandContext, CommandRequest } from '../../nodes/shared/commands/types';
import type { MakeCallInput } from '../../nodes/shared/integrations/twilio_voice/outboundCall';
import type { SendMessageInput } from '../../nodes/shared/integrations/twilio_messenger/commands/send_message.command';
import { MemoryStore, type SessionStore } from '../../nodes/shared/store';
import { LISTENER_RENEW_MS, LISTENER_TTL_MS } from '../../nodes/shared/triggers/connectorListener';
import { useProcessMemoryStore } from '../support/processStore';

const CALL_URL = 'https://n8n.example.com/webhook/call';
const SMS_URL = 'https://n8n.example.com/webhook/sms';

/** A run of a node: its credential, read by the commands through n8n. */
function executeFunctions(credential: Record<string, string> = {}): IExecuteFunctions {
	return {
		getCredentials: async () => ({ accountSid: 'AC1', authToken: 't', ...credential }),
		getNode: () => ({ name: 'Send Command' }) as INode,
	} as unknown as IExecuteFunctions;
}

function contextOf(store: SessionStore, credential?: Record<string, string>): CommandContext {
	return { store, timezone: 'UTC', itemIndex: 0, functions: executeFunctions(credential) };
}

const register = (store: SessionStore, kind: string, connectorIdn: string, webhookUrl?: string) =>
	store.registerListener({
		id: `wf:${kind}:${connectorIdn}`,
		kind,
		connectorIdn,
		webhookUrl,
		ttlMs: LISTENER_TTL_MS,
	});

async function prepared<Input>(context: CommandContext, request: CommandRequest) {
	const { input, request: resolved } = await prepareCommand(context, request);
	return { input: input as Input, request: resolved };
}

const makeCallRequest = (args: Record<string, string>, integrationIdn = 'newo_voice') => ({
	integrationIdn,
	commandIdn: 'make_call',
	connectorIdn: 'newo_voice_connector',
	arguments: {
		phoneNumber: '+16507000000',
		greetingPhrase: 'Hello, how can I assist you today?',
		...args,
	},
});

const sendMessageRequest = (args: Record<string, string>) => ({
	integrationIdn: 'twilio_messenger',
	commandIdn: 'send_message',
	connectorIdn: 'sms_connector',
	arguments: { text: 'Hello, how can I assist you today?', phoneNumber: '+16507000000', ...args },
});

describe('make_call on a connector', () => {
	const defaults = { defaultCallerId: '+16505550100' };

	test('with a Call Trigger listening on the connector, a greeting-only call is a conversation through it', async () => {
		const store = new MemoryStore();
		await register(store, 'callTrigger', 'newo_voice_connector', CALL_URL);
		await register(store, 'callTrigger', 'other_connector', 'https://elsewhere.example/call');
		const { input } = await prepared<MakeCallInput>(
			contextOf(store, defaults),
			makeCallRequest({}),
		);
		expect(input.conversationUrl).toBe(CALL_URL);
		expect(input.twiml).toContain(`<Gather`);
		expect(input.twiml).toContain(`action="${CALL_URL}"`);
		expect(input.twiml).toContain('Hello, how can I assist you today?');
		expect(input.form).toMatchObject({
			Twiml: input.twiml,
			StatusCallback: CALL_URL,
			StatusCallbackEvent: ['answered', 'completed'],
		});
		expect(input.notice).toBeUndefined();
	});

	test('with no Call Trigger listening (or only an expired one), it greets and hangs up and says why', async () => {
		const store = new MemoryStore();
		await store.registerListener(
			{
				id: 'stale',
				kind: 'callTrigger',
				connectorIdn: 'newo_voice_connector',
				webhookUrl: CALL_URL,
				ttlMs: LISTENER_TTL_MS,
			},
			Date.now() - LISTENER_TTL_MS - 1,
		);
		await register(store, 'smsTrigger', 'newo_voice_connector', SMS_URL);
		const { input } = await prepared<MakeCallInput>(
			contextOf(store, defaults),
			makeCallRequest({}),
		);
		expect(input.conversationUrl).toBeUndefined();
		expect(input.twiml).not.toContain('<Gather');
		expect(input.form.StatusCallback).toBeUndefined();
		expect(input.notice).toMatch(/^No Call Trigger listens on connector 'newo_voice_connector'/);
	});

	test('a call with its own TwiML, TwiML URL or Conversation URL is not redirected to the listener', async () => {
		const store = new MemoryStore();
		await register(store, 'callTrigger', 'newo_voice_connector', CALL_URL);
		const context = contextOf(store, defaults);
		const own = await prepared<MakeCallInput>(
			context,
			makeCallRequest({ greetingPhrase: '', twiml: '<Response><Hangup/></Response>' }),
		);
		expect(own.input.form).toMatchObject({ Twiml: '<Response><Hangup/></Response>' });
		expect(own.input.notice).toBeUndefined();
		const given = await prepared<MakeCallInput>(
			context,
			makeCallRequest({ conversationUrl: 'https://mine.example/call' }),
		);
		expect(given.input.form.StatusCallback).toBe('https://mine.example/call');
	});

	test("no caller ID: the credential's Default Caller ID; without one the error says where to set it", async () => {
		const store = new MemoryStore();
		const { input } = await prepared<MakeCallInput>(
			contextOf(store, defaults),
			makeCallRequest({}),
		);
		expect(input.form.From).toBe('+16505550100');
		const given = await prepared<MakeCallInput>(
			contextOf(store, defaults),
			makeCallRequest({ callerId: '+16505550199' }),
		);
		expect(given.input.form.From).toBe('+16505550199');
		await expect(prepareCommand(contextOf(store), makeCallRequest({}))).rejects.toThrow(
			"Argument 'callerId' is required: set From (Caller ID) on the node, or Default Caller ID on the Twilio credential",
		);
		await expect(
			prepareCommand(contextOf(store, { defaultCallerId: 'nope' }), makeCallRequest({})),
		).rejects.toThrow("Argument 'callerId' must be an E.164 number");
	});

	test('newo_voice and twilio run make_call as twilio_voice, which the act and the actors record', async () => {
		const store = new MemoryStore();
		for (const alias of ['newo_voice', 'twilio']) {
			const { request } = await prepared(contextOf(store, defaults), makeCallRequest({}, alias));
			expect(request.integrationIdn).toBe('twilio_voice');
		}
		const { request } = await prepared(contextOf(store, { defaultFrom: '+16505550100' }), {
			...sendMessageRequest({}),
			integrationIdn: 'twilio',
		});
		expect(request.integrationIdn).toBe('twilio_messenger');
	});
});

describe('send_message on a connector', () => {
	test('with an SMS Trigger listening on the connector, status callbacks go to it unless one is given', async () => {
		const store = new MemoryStore();
		await register(store, 'smsTrigger', 'sms_connector', SMS_URL);
		await register(store, 'callTrigger', 'sms_connector', CALL_URL);
		const context = contextOf(store, { defaultFrom: '+16505550100' });
		const { input } = await prepared<SendMessageInput>(context, sendMessageRequest({}));
		expect(input.form.StatusCallback).toBe(SMS_URL);
		const own = await prepared<SendMessageInput>(
			context,
			sendMessageRequest({ statusCallback: 'https://mine.example/status' }),
		);
		expect(own.input.form.StatusCallback).toBe('https://mine.example/status');
	});

	test('with none listening, no status callback is sent', async () => {
		const store = new MemoryStore();
		await register(store, 'smsTrigger', 'another_connector', SMS_URL);
		const { input } = await prepared<SendMessageInput>(
			contextOf(store, { defaultFrom: '+16505550100' }),
			sendMessageRequest({}),
		);
		expect(input.form.StatusCallback).toBeUndefined();
	});

	test("no sender: the credential's Default From, a number or a Messaging Service; without one the error says where to set it", async () => {
		const store = new MemoryStore();
		const number = await prepared<SendMessageInput>(
			contextOf(store, { defaultFrom: '+16505550100' }),
			sendMessageRequest({}),
		);
		expect(number.input.form).toMatchObject({ From: '+16505550100' });
		const service = 'MG0123456789abcdef0123456789abcdef';
		const viaService = await prepared<SendMessageInput>(
			contextOf(store, { defaultFrom: service }),
			sendMessageRequest({}),
		);
		expect(viaService.input.form).toMatchObject({ MessagingServiceSid: service });
		expect(viaService.input.form.From).toBeUndefined();
		const given = await prepared<SendMessageInput>(
			contextOf(store, { defaultFrom: service }),
			sendMessageRequest({ from: '+16505550199' }),
		);
		expect(given.input.form).toMatchObject({ From: '+16505550199' });
		expect(given.input.form.MessagingServiceSid).toBeUndefined();
		await expect(prepareCommand(contextOf(store), sendMessageRequest({}))).rejects.toThrow(
			"Argument 'from' is required unless a messagingServiceSid picks the sender: set From (or Messaging Service SID) on the node, or Default From on the Twilio credential",
		);
		await expect(
			prepareCommand(contextOf(store, { defaultFrom: 'not a sender!' }), sendMessageRequest({})),
		).rejects.toThrow("the Twilio credential's Default From is neither a sender");
	});
});

describe('triggers register on their connector while active', () => {
	const processStore = useProcessMemoryStore();
	let store: SessionStore;
	beforeEach(() => {
		store = processStore.store;
	});
	afterEach(() => {
		jest.useRealTimers();
	});

	const nodeOf = (type: string): INode => ({
		id: `${type}-node`,
		name: type,
		type: `n8n-nodes-agent-connectors.${type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	});

	function functionsOf<T>(
		type: string,
		mode: 'manual' | 'trigger' | 'webhook',
		parameters: Record<string, unknown>,
	): T {
		return {
			getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
			getMode: () => mode,
			getNode: () => nodeOf(type),
			getWorkflow: () => ({ id: 'wf-1' }) as unknown as Workflow,
			getNodeWebhookUrl: () => CALL_URL,
			getCredentials: async () => ({ authType: 'authToken', authToken: 'secret' }),
			emit: () => undefined,
			logger: { error: () => undefined, warn: () => undefined },
		} as unknown as T;
	}

	test('an active Timer Trigger registers its connector, renews it, and unregisters when closed; a test listener does not', async () => {
		jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
		const trigger = new TimerTrigger();
		const test = await trigger.trigger.call(
			functionsOf<ITriggerFunctions>('timerTrigger', 'manual', { connectorIdn: 'fire_timer' }),
		);
		processStore.responses.push(test);
		await expect(store.listListeners()).resolves.toEqual([]);
		const active = await trigger.trigger.call(
			functionsOf<ITriggerFunctions>('timerTrigger', 'trigger', { connectorIdn: 'fire_timer' }),
		);
		const [registered] = await store.listListeners({ connectorIdn: 'fire_timer' });
		expect(registered).toMatchObject({
			id: 'wf-1:timerTrigger-node',
			kind: 'timerTrigger',
			webhookUrl: null,
		});
		await jest.advanceTimersByTimeAsync(LISTENER_RENEW_MS);
		const [renewed] = await store.listListeners({ connectorIdn: 'fire_timer' });
		expect(renewed.expiresAt).toBeGreaterThan(registered.expiresAt);
		expect(renewed.createdAt).toBe(registered.createdAt);
		await active.closeFunction?.();
		await new Promise((resolve) => setImmediate(resolve));
		await expect(store.listListeners()).resolves.toEqual([]);
	});

	test('an active HTTP Result Trigger registers its connector', async () => {
		processStore.responses.push(
			await new HttpResultTrigger().trigger.call(
				functionsOf<ITriggerFunctions>('httpResultTrigger', 'trigger', {
					connectorIdn: 'connector_name',
				}),
			),
		);
		await expect(store.listListeners({ kind: 'httpResultTrigger' })).resolves.toMatchObject([
			{ connectorIdn: 'connector_name', webhookUrl: null },
		]);
	});

	test("a Call Trigger's webhook registers its production URL (or its Public URL) and renews it while the process lives; deleting the webhook unregisters it", async () => {
		jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
		const hooks = new CallTrigger().webhookMethods.default;
		const parameters = { connectorIdn: 'newo_voice_connector' };
		await hooks.create.call(functionsOf<IHookFunctions>('callTrigger', 'manual', parameters));
		await expect(store.listListeners()).resolves.toEqual([]);
		await hooks.create.call(functionsOf<IHookFunctions>('callTrigger', 'trigger', parameters));
		const [registered] = await store.listListeners({ kind: 'callTrigger' });
		expect(registered).toMatchObject({
			id: 'wf-1:callTrigger-node',
			connectorIdn: 'newo_voice_connector',
			webhookUrl: CALL_URL,
		});
		await jest.advanceTimersByTimeAsync(LISTENER_RENEW_MS);
		const [renewed] = await store.listListeners({ kind: 'callTrigger' });
		expect(renewed.expiresAt).toBeGreaterThan(registered.expiresAt);
		await hooks.create.call(
			functionsOf<IHookFunctions>('callTrigger', 'trigger', {
				...parameters,
				options: { publicUrl: 'https://public.example/call' },
			}),
		);
		await expect(store.listListeners({ kind: 'callTrigger' })).resolves.toMatchObject([
			{ webhookUrl: 'https://public.example/call' },
		]);
		await hooks.delete.call(functionsOf<IHookFunctions>('callTrigger', 'trigger', parameters));
		await expect(store.listListeners()).resolves.toEqual([]);
		// The renewal stopped with the webhook: nothing comes back.
		await jest.advanceTimersByTimeAsync(2 * LISTENER_RENEW_MS);
		await expect(store.listListeners()).resolves.toEqual([]);
	});
});
