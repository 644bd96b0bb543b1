/**
 * The stand-in's server: the HTTP listener, what tests ask of it (requests,
 * violations, faults, handlers, resources), and the way of one request —
 * read, checked against the spec, authenticated, faulted, answered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { CompiledOperation, OpenApiRouter } from '../openapi';
import { authenticate } from './auth';
import { addCallTo, callAsNow, setStatusOfCall } from './calls';
import { addConferenceTo, addParticipantTo, findParticipant } from './conferences';
import { faultMatches, faultReply } from './faults';
import { DEFAULT_HANDLERS } from './handlers';
import { twilioRouter } from './specs';
import type {
	CallState,
	CallStatus,
	ConferenceState,
	MessageState,
	ParticipantState,
} from './state';
import type {
	Fault,
	FaultOptions,
	OffSpecRoute,
	SpecViolation,
	TwilioHandler,
	TwilioReply,
	TwilioRequest,
	TwilioServerOptions,
} from './types';
import { offSpecRoute } from './offSpec';
import { checkRequest } from './violations';
import { flatten, notFound, twilioError, twilioSid, wireValues } from './wire';

const FORM_TYPE = 'application/x-www-form-urlencoded';

export class TwilioServer {
	readonly requests: TwilioRequest[] = [];
	readonly violations: SpecViolation[] = [];
	readonly calls = new Map<string, CallState>();
	readonly messages = new Map<string, MessageState>();
	readonly conferences = new Map<string, ConferenceState>();
	/** Conference SID → call SID → participant. */
	readonly participants = new Map<string, Map<string, ParticipantState>>();

	private readonly faults: Fault[] = [];
	private readonly handlers = new Map<string, TwilioHandler>();
	private latency: (request: TwilioRequest) => number;
	private readonly router: OpenApiRouter;

	private readonly server: Server;
	private listeningOn = '';

	private constructor(readonly options: TwilioServerOptions) {
		this.router = twilioRouter(options.documentedRules !== false);
		const latencyMs = options.latencyMs ?? 0;
		this.latency = () => latencyMs;
		for (const [id, handler] of Object.entries(DEFAULT_HANDLERS)) this.handlers.set(id, handler);
		this.server = createServer((req, res) => {
			this.receive(req, res).catch((error: unknown) => {
				if (!res.headersSent)
					res
						.writeHead(500, { 'content-type': 'text/plain' })
						.end(`Twilio test server failed: ${String(error)}`);
			});
		});
	}

	static async start(options: TwilioServerOptions): Promise<TwilioServer> {
		const instance = new TwilioServer(options);
		await new Promise<void>((resolve) => instance.server.listen(0, '127.0.0.1', resolve));
		const { port } = instance.server.address() as AddressInfo;
		instance.listeningOn = `http://127.0.0.1:${port}`;
		return instance;
	}

	/** `http://127.0.0.1:<port>`: the Base URL to give the Twilio credential. */
	get baseUrl(): string {
		return this.listeningOn;
	}

	get accountSid(): string {
		return this.options.accountSid;
	}

	/** Requests whose method matches and whose path contains `path` (or matches it). */
	requestsTo(method: string, path: string | RegExp): TwilioRequest[] {
		return this.requests.filter(
			(request) =>
				request.method === method.toUpperCase() &&
				(typeof path === 'string' ? request.path.includes(path) : path.test(request.path)),
		);
	}

	requestsFor(operationId: string): TwilioRequest[] {
		return this.requests.filter((request) => request.operationId === operationId);
	}

	/** Throws, listing every request the spec refused, if there was any. */
	assertNoViolations(): void {
		if (this.violations.length === 0) return;
		const lines = this.violations.map(
			(violation) => `  ${violation.request}: ${violation.message} [${violation.source}]`,
		);
		throw new Error(
			`The Twilio test server got ${this.violations.length} request(s) Twilio's spec refuses:\n${lines.join('\n')}`,
		);
	}

	/** The next `times` matching requests meet this fault. Requests that fail authentication do not count. */
	inject(options: FaultOptions): Fault {
		const fault: Fault = { options, remaining: options.times ?? 1, hits: 0 };
		this.faults.push(fault);
		return fault;
	}

	/** Latency added to every answer from now on, fixed or per request. */
	setLatency(latency: number | ((request: TwilioRequest) => number)): void {
		this.latency = typeof latency === 'number' ? () => latency : latency;
	}

	/** An operation of the specs, by operationId: its schemas, its response check. */
	operation(operationId: string): CompiledOperation | undefined {
		return this.router.operation(operationId);
	}

	/** Answers an operation (by operationId) with this handler instead of the built-in one or the spec's example. */
	handle(operationId: string, handler: TwilioHandler): void {
		if (this.router.operation(operationId) === undefined)
			throw new Error(`No Twilio operation is called ${operationId}`);
		this.handlers.set(operationId, handler);
	}

	/** Forgets recorded requests, violations and pending faults; resources stay. */
	clearRecords(): void {
		this.requests.length = 0;
		this.violations.length = 0;
		this.faults.length = 0;
	}

	/** A call that exists before the test, e.g. an inbound one to control. */
	addCall(call: Partial<CallState> = {}): CallState {
		return addCallTo(this, call);
	}

	addConference(conference: Partial<ConferenceState> = {}): ConferenceState {
		return addConferenceTo(this, conference);
	}

	/** A participant (and its call, unless `callSid` names one) in a conference that is added if missing. */
	addParticipant(
		conferenceSid: string,
		participant: Partial<ParticipantState> = {},
	): ParticipantState {
		return addParticipantTo(this, conferenceSid, participant);
	}

	/** The call as Twilio would show it now: a queued call is answered `answerAfterMs` after creation. */
	call(sid: string): CallState | undefined {
		return callAsNow(this, sid);
	}

	setCallStatus(sid: string, status: CallStatus): void {
		setStatusOfCall(this, sid, status);
	}

	participant(conferenceSid: string, callSidOrLabel: string): ParticipantState | undefined {
		return findParticipant(this, conferenceSid, callSidOrLabel);
	}

	/** `values` laid out on every field of the operation's response schema, null where not given; an unknown field throws. */
	shape(operation: CompiledOperation, values: Record<string, unknown>): Record<string, unknown> {
		const properties = operation.responseProperties();
		const unknown = Object.keys(values).filter((key) => !properties.includes(key));
		if (unknown.length > 0)
			throw new Error(
				`${operation.success.schemaName ?? operation.id} has no field ${unknown.join(', ')}`,
			);
		return Object.fromEntries(properties.map((property) => [property, values[property] ?? null]));
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.close(() => resolve());
			this.server.closeAllConnections();
		});
	}

	private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const receivedAt = performance.now();
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBytes = Buffer.concat(chunks);
		const rawBody = rawBytes.toString('utf8');
		const url = new URL(req.url ?? '/', this.baseUrl);
		const method = (req.method ?? 'GET').toUpperCase();
		const contentType =
			rawBody === ''
				? undefined
				: (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
		const query = wireValues(url.searchParams);
		const formValues = contentType === FORM_TYPE ? wireValues(new URLSearchParams(rawBody)) : {};
		const request: TwilioRequest = {
			method,
			url: req.url ?? '/',
			path: url.pathname,
			query: flatten(query),
			form: flatten(formValues),
			rawBody,
			rawBytes,
			headers: req.headers,
			pathParams: {},
			violations: [],
			receivedAt,
		};
		this.requests.push(request);

		const offSpec = offSpecRoute(request);
		const operation =
			offSpec === undefined
				? checkRequest(this.router, this.options, this.violations, request, {
						query,
						formValues,
						contentType,
					})
				: undefined;

		const latency = this.latency(request);
		if (latency > 0) await sleep(latency);

		const reply = await this.answer(request, operation, res, offSpec);
		if (reply === undefined) return;
		request.status = reply.status;
		const headers: Record<string, string> = {
			'twilio-request-id': twilioSid('RQ'),
			...reply.headers,
		};
		if (Buffer.isBuffer(reply.body)) {
			res.writeHead(reply.status, headers).end(reply.body);
		} else if (reply.body === undefined || reply.status === 204) {
			res.writeHead(reply.status, headers).end();
		} else {
			res
				.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers })
				.end(JSON.stringify(reply.body));
		}
	}

	/** Auth, then injected faults, then what the spec refused, then the operation. Undefined when the connection was dropped. */
	private async answer(
		request: TwilioRequest,
		operation: CompiledOperation | undefined,
		res: ServerResponse,
		offSpec?: OffSpecRoute,
	): Promise<TwilioReply | undefined> {
		if (!offSpec?.public && !authenticate(this.options, request))
			return twilioError(401, 20003, 'Authenticate');

		const fault = this.faults.find(
			(candidate) => candidate.remaining > 0 && faultMatches(candidate.options, request),
		);
		if (fault !== undefined) {
			fault.remaining -= 1;
			fault.hits += 1;
			request.fault = fault;
			if (fault.options.delayMs !== undefined) await sleep(fault.options.delayMs);
			if (fault.options.reset === 'before-processing') {
				res.destroy();
				return undefined;
			}
			if (fault.options.status !== undefined) return faultReply(fault.options);
		}

		const refused = request.violations[0];
		const reply = refused
			? twilioError(refused.status, refused.code, refused.message)
			: offSpec
				? await offSpec.handler(this, request)
				: await this.process(request, operation);
		if (fault?.options.reset === 'after-processing') {
			res.destroy();
			return undefined;
		}
		return reply;
	}

	private async process(
		request: TwilioRequest,
		operation: CompiledOperation | undefined,
	): Promise<TwilioReply> {
		if (operation === undefined) return notFound(request.path);
		const handler = this.handlers.get(operation.id);
		if (handler === undefined) {
			const { status, example } = operation.success;
			return { status, body: status === 204 ? undefined : (example ?? {}) };
		}
		try {
			return await handler({
				request,
				operation,
				pathParams: request.pathParams,
				params: request.form,
				server: this,
			});
		} catch (error) {
			return twilioError(
				500,
				20500,
				`Test server handler for ${operation.id} failed: ${String(error)}`,
			);
		}
	}
}
