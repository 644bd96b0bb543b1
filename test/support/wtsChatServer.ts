/**
 * A stand-in for the WTS Chat API on 127.0.0.1, in its wire format: Bearer
 * auth (401 otherwise), the paged chatbot list, the channel list, the two
 * chatbot send endpoints and the queued send's status, errors as
 * `{text}`. Contacts' conversations are kept so that skipIfInProgress,
 * skipIfBotInExecution and forceStartSession behave as the API describes; a
 * start takes `startDelayMs` before its conversation exists, which is the
 * window in which racing requests would all start the bot.
 *
 * With `deduplicate: false` it starts a chatbot for every request, as a
 * careless provider would, so that only the package's own guard stands
 * between racing executions and a second start; `holdStarts()` keeps every
 * start waiting until `releaseStarts()`, so a test decides when the window
 * closes instead of guessing a delay.
 */
import { randomUUID } from 'node:crypto';

import { RecordingServer, type RecordedRequest, type Reply } from './recordingServer';

export interface Chatbot {
	id: string;
	key: string;
	name: string;
	/** WhatsApp: a conversation may start only with a template; a bot whose first message is none is refused. */
	startsWithTemplate: boolean;
}

export interface Channel {
	id: string;
	humanId: string;
	displayName: string;
	platform: string;
}

export interface ChatSession {
	id: string;
	contact: string;
	channel: string;
	botKey: string;
	status: 'STARTED' | 'IN_PROGRESS' | 'COMPLETED';
	botRunning: boolean;
	metadata: Record<string, unknown>;
}

const SALES_BOT = '2b0c7f1e-8a5d-4c3b-9f21-7d6e5a4b3c21';
/** The chatbot the tests start most often, and the channel they start it on. */
export const SALES_ASSISTANT: Chatbot = {
	id: 'b0000000-0000-4000-8000-000000000001',
	key: SALES_BOT,
	name: 'Sales Assistant',
	startsWithTemplate: true,
};
export const MAIN_WHATSAPP: Channel = {
	id: 'c0000000-0000-4000-8000-000000000001',
	humanId: '5511999990000',
	displayName: 'Main WhatsApp',
	platform: 'WhatsApp',
};

export interface WtsChatServerOptions {
	token: string;
	chatbots: Chatbot[];
	channels: Channel[];
	startDelayMs?: number;
	/** Honour skipIfInProgress / skipIfBotInExecution (default); false starts a chatbot for every request. */
	deduplicate?: boolean;
}

export class WtsChatServer {
	readonly sessions = new Map<string, ChatSession>();
	readonly queuedSends = new Map<
		string,
		{ id: string; sessionId: string | null; status: string; polls: number }
	>();
	/** Chatbot starts per contact: what "started the bot once" counts. */
	readonly starts: Array<{ contact: string; botKey: string; sessionId: string }> = [];
	private throttle = 0;
	private gate: { opened: Promise<void>; open: () => void } | undefined;
	/** Starts waiting at the gate of holdStarts(). */
	heldStarts = 0;

	private constructor(
		private readonly server: RecordingServer,
		private readonly options: WtsChatServerOptions,
	) {}

	static async start(options: WtsChatServerOptions): Promise<WtsChatServer> {
		const holder: { server?: WtsChatServer } = {};
		const recording = await RecordingServer.start((request) =>
			(holder.server as WtsChatServer).handle(request),
		);
		holder.server = new WtsChatServer(recording, options);
		return holder.server;
	}

	/** Every start from now on waits until releaseStarts(). */
	holdStarts(): void {
		let open = () => {};
		const opened = new Promise<void>((resolve) => (open = resolve));
		this.gate = { opened, open };
		this.heldStarts = 0;
	}

	releaseStarts(): void {
		this.gate?.open();
		this.gate = undefined;
	}

	/**
	 * Sends racing requests while every start is held, and opens the gate
	 * only once each request has either been answered (skipped) or reached
	 * the stand-in: whatever the timing, every racer has made its decision
	 * while the first start is still in flight.
	 */
	async raceWhileStartsAreHeld<T>(
		requests: Array<() => Promise<T>>,
		timeoutMs = 120_000,
	): Promise<T[]> {
		this.holdStarts();
		let answered = 0;
		const answers = requests.map(async (send) => {
			const answer = await send();
			answered += 1;
			return answer;
		});
		const deadline = Date.now() + timeoutMs;
		while (answered + this.heldStarts < requests.length && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 50));
		this.releaseStarts();
		return await Promise.all(answers);
	}

	get baseUrl(): string {
		return this.server.baseUrl;
	}

	get requests(): RecordedRequest[] {
		return this.server.requests;
	}

	/** The JSON bodies of the requests to a path. */
	bodiesTo(method: string, path: string): Array<Record<string, unknown>> {
		return this.requests
			.filter((request) => request.method === method && request.url.split('?')[0] === path)
			.map((request) => JSON.parse(request.body.toString('utf8')) as Record<string, unknown>);
	}

	/** The next `times` requests are answered 429 with Retry-After: 1. */
	throttleNext(times: number): void {
		this.throttle = times;
	}

	async close(): Promise<void> {
		await this.server.close();
	}

	private activeSession(contact: string): ChatSession | undefined {
		return [...this.sessions.values()].find(
			(session) => session.contact === contact && session.status !== 'COMPLETED',
		);
	}

	private async handle(request: RecordedRequest): Promise<Reply> {
		if (request.headers.authorization !== `Bearer ${this.options.token}`)
			return { status: 401, body: { text: 'Unauthorized: invalid token' } };
		if (this.throttle > 0) {
			this.throttle -= 1;
			return { status: 429, headers: { 'retry-after': '1' }, body: { text: 'Too many requests' } };
		}
		const [path, query = ''] = request.url.split('?');
		const params = new URLSearchParams(query);
		if (request.method === 'GET' && path === '/auth/v1/login/validate')
			return { status: 200, body: { valid: true } };
		if (request.method === 'GET' && path === '/chat/v1/chatbot') return this.listChatbots(params);
		if (request.method === 'GET' && path === '/chat/v1/channel')
			return { status: 200, body: this.options.channels };
		if (
			request.method === 'POST' &&
			(path === '/chat/v1/chatbot/send' || path === '/chat/v1/send/chatbot')
		) {
			const body = JSON.parse(request.body.toString('utf8') || '{}') as Record<string, unknown>;
			return path === '/chat/v1/send/chatbot' ? this.queue(body) : await this.sendChatbot(body);
		}
		const queued = /^\/chat\/v1\/send\/chatbot\/([^/]+)$/.exec(path);
		if (request.method === 'GET' && queued) return this.queuedStatus(queued[1]);
		return { status: 404, body: { text: `No route ${request.method} ${path}` } };
	}

	private listChatbots(params: URLSearchParams): Reply {
		const name = params.get('Name')?.toLowerCase() ?? '';
		const pageNumber = Number(params.get('PageNumber') ?? 1);
		const pageSize = Number(params.get('PageSize') ?? 10);
		const matching = this.options.chatbots.filter((bot) => bot.name.toLowerCase().includes(name));
		const items = matching
			.slice((pageNumber - 1) * pageSize, pageNumber * pageSize)
			.map(({ id, key, name: botName }) => ({
				id,
				key,
				name: botName,
				type: 'Reactive',
				archived: false,
				publishStatus: 'READY',
			}));
		const totalPages = Math.max(1, Math.ceil(matching.length / pageSize));
		return {
			status: 200,
			body: {
				pageNumber,
				pageSize,
				items,
				totalItems: matching.length,
				totalPages,
				hasMorePages: pageNumber < totalPages,
			},
		};
	}

	private problem(body: Record<string, unknown>): string | undefined {
		const options = (body.options ?? {}) as Record<string, unknown>;
		for (const [name, value] of Object.entries(options))
			if (typeof value !== 'boolean') return `options.${name} must be a boolean`;
		if (!this.options.chatbots.some((bot) => bot.key === body.botKey)) return 'Chatbot not found';
		if (body.sessionId === undefined) {
			if (typeof body.to !== 'string') return 'The recipient (to) is required';
			if (!this.options.channels.some((channel) => channel.humanId === body.from))
				return 'Channel not found';
		} else if (!this.sessions.has(String(body.sessionId))) return 'Session not found';
		return undefined;
	}

	private async sendChatbot(body: Record<string, unknown>): Promise<Reply> {
		const problem = this.problem(body);
		if (problem !== undefined) return { status: 400, body: { text: problem } };
		const options = (body.options ?? {}) as Record<string, boolean>;
		const bot = this.options.chatbots.find((candidate) => candidate.key === body.botKey) as Chatbot;
		const existing =
			body.sessionId !== undefined
				? this.sessions.get(String(body.sessionId))
				: this.activeSession(String(body.to));
		if (existing && existing.status !== 'COMPLETED' && this.options.deduplicate !== false) {
			// Skipped: the conversation is answered as it is, and no chatbot starts.
			if (options.skipIfInProgress || (options.skipIfBotInExecution && existing.botRunning))
				return { status: 200, body: this.sessionDto(existing) };
			if (options.forceStartSession) existing.status = 'COMPLETED';
		}
		if (!existing || existing.status === 'COMPLETED') {
			if (!bot.startsWithTemplate)
				return {
					status: 400,
					body: { text: 'A WhatsApp conversation can only be started with a message template' },
				};
		}
		if (this.gate) {
			this.heldStarts += 1;
			await this.gate.opened;
		}
		await new Promise((resolve) => setTimeout(resolve, this.options.startDelayMs ?? 0));
		const reuse = existing && existing.status !== 'COMPLETED' ? existing : undefined;
		const session: ChatSession = reuse ?? {
			id: randomUUID(),
			contact: String(body.to),
			channel: String(body.from),
			botKey: bot.key,
			status: 'IN_PROGRESS',
			botRunning: true,
			metadata: {},
		};
		Object.assign(session.metadata, body.sessionMetadata ?? {});
		session.botRunning = true;
		this.sessions.set(session.id, session);
		this.starts.push({ contact: session.contact, botKey: bot.key, sessionId: session.id });
		return { status: 200, body: this.sessionDto(session) };
	}

	private queue(body: Record<string, unknown>): Reply {
		const problem = this.problem(body);
		if (problem !== undefined) return { status: 400, body: { text: problem } };
		const send = { id: randomUUID(), sessionId: null as string | null, status: 'QUEUED', polls: 0 };
		this.queuedSends.set(send.id, send);
		void this.sendChatbot(body).then((reply) => {
			send.sessionId = reply.status === 200 ? String((reply.body as { id: string }).id) : null;
		});
		return {
			status: 200,
			body: {
				id: send.id,
				sessionId: null,
				status: send.status,
				failedReason: null,
				createdAt: new Date().toISOString(),
			},
		};
	}

	/** A queued send goes QUEUED → PROCESSING → SENT over three looks. */
	private queuedStatus(id: string): Reply {
		const send = this.queuedSends.get(id);
		if (send === undefined) return { status: 404, body: { text: 'Send not found' } };
		send.polls += 1;
		send.status = send.polls === 1 ? 'PROCESSING' : 'SENT';
		return {
			status: 200,
			body: { id: send.id, sessionId: send.sessionId, status: send.status, failedReason: null },
		};
	}

	private sessionDto(session: ChatSession): Record<string, unknown> {
		const bot = this.options.chatbots.find((candidate) => candidate.key === session.botKey);
		const channel = this.options.channels.find(
			(candidate) => candidate.humanId === session.channel,
		);
		return {
			id: session.id,
			status: session.status,
			contactId: `contact-${session.contact}`,
			channelId: channel?.id ?? null,
			botId: bot?.id ?? null,
			metadata: session.metadata,
			number: session.contact,
			channelType: 'CLOUDAPI_WHATSAPP',
		};
	}
}
