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
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
	createServer,
	type IncomingHttpHeaders,
	type IncomingMessage,
	type Server,
	type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import {
	OpenApiRouter,
	type CompiledOperation,
	type Finding,
	type OasDocument,
	type Overlays,
	type WireValues,
} from './openapi';

export const TWILIO_FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'twilio');
export const TWILIO_SPEC_FILES = [
	'twilio_api_v2010.json',
	'twilio_taskrouter_v1.json',
	'twilio_conversations_v1.json',
] as const;

/** A form or query value as sent: one string, or every value of a repeated key. */
export type TwilioParams = Readonly<Record<string, string | string[]>>;

export interface SpecViolation {
	/** `POST /2010-04-01/Accounts/AC…/Calls.json` */
	request: string;
	operationId?: string;
	/** `spec`: the OpenAPI schema refuses it. `documented`: the spec's prose (or Twilio's documented rules) do. */
	source: 'spec' | 'documented';
	location: Finding['location'];
	parameter?: string;
	message: string;
	/** The Twilio error code and HTTP status it was answered with. */
	code: number;
	status: number;
}

export interface TwilioRequest {
	method: string;
	/** Path and query, as sent. */
	url: string;
	path: string;
	query: TwilioParams;
	form: TwilioParams;
	rawBody: string;
	headers: IncomingHttpHeaders;
	/** Who the Basic auth says the caller is; `rejected` when it did not authenticate. */
	auth?: { user: string; kind: 'authToken' | 'apiKey' | 'rejected' };
	operationId?: string;
	pathParams: Readonly<Record<string, string>>;
	violations: SpecViolation[];
	/** The status answered; undefined while pending or when the connection was reset. */
	status?: number;
	/** The injected fault this request met, if any. */
	fault?: Fault;
}

export interface TwilioReply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export interface TwilioContext {
	request: TwilioRequest;
	operation: CompiledOperation;
	pathParams: Readonly<Record<string, string>>;
	params: TwilioParams;
	server: TwilioServer;
}

export type TwilioHandler = (context: TwilioContext) => TwilioReply | Promise<TwilioReply>;

export interface FaultOptions {
	method?: string;
	/** A substring of the path, or a pattern it must match. */
	path?: string | RegExp;
	operationId?: string;
	/** How many matching requests meet the fault; 1 unless said. */
	times?: number;
	/** Answer this status instead of processing the request (429, 500, 503 …). */
	status?: number;
	/** Seconds, sent as `Retry-After`. */
	retryAfter?: number;
	/** Wait this long before answering (or before processing, when no status is given). */
	delayMs?: number;
	/** The error body; Twilio's `{code: 20000 + status, …}` unless given. */
	body?: unknown;
	/**
	 * Drop the connection instead of answering: before the request is
	 * processed, or after it (the call is placed, the answer is lost).
	 */
	reset?: 'before-processing' | 'after-processing';
}

export interface Fault {
	readonly options: FaultOptions;
	remaining: number;
	hits: number;
}

export interface TwilioServerOptions {
	accountSid: string;
	authToken: string;
	apiKeys?: ReadonlyArray<{ sid: string; secret: string }>;
	/** Added to every answer. */
	latencyMs?: number;
	/** How long after creation a queued call is answered (in-progress); 0 by default, Infinity to keep it queued. */
	answerAfterMs?: number;
	/** Also enforce the constraints the spec only states in prose, and Twilio's documented cross-parameter rules. On by default. */
	documentedRules?: boolean;
}

export type CallStatus =
	'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export interface CallState {
	sid: string;
	to: string;
	from: string;
	status: CallStatus;
	direction: string;
	createdAt: Date;
	updatedAt: Date;
	startedAt?: Date;
	endedAt?: Date;
	/** The TwiML the call runs now: from Calls.create or the latest update. */
	twiml?: string;
	url?: string;
	createParams: TwilioParams;
	updates: TwilioParams[];
}

export interface ConferenceState {
	sid: string;
	friendlyName: string;
	status: 'init' | 'in-progress' | 'completed';
	createdAt: Date;
	updatedAt: Date;
	reasonEnded?: string;
	announceUrl?: string;
}

export interface ParticipantState {
	conferenceSid: string;
	callSid: string;
	label: string | null;
	muted: boolean;
	hold: boolean;
	holdUrl?: string;
	holdMethod?: string;
	coaching: boolean;
	callSidToCoach: string | null;
	endConferenceOnExit: boolean;
	startConferenceOnEnter: boolean;
	status: 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';
	createdAt: Date;
	updatedAt: Date;
	updates: TwilioParams[];
}

export interface MessageState {
	sid: string;
	to: string;
	from: string | null;
	body: string;
	mediaUrls: string[];
	messagingServiceSid: string | null;
	status: 'queued' | 'accepted' | 'scheduled' | 'canceled' | 'sent' | 'delivered' | 'failed';
	createdAt: Date;
	updatedAt: Date;
	sendAt?: string;
	createParams: TwilioParams;
}

const FINAL_CALL_STATUSES: ReadonlySet<CallStatus> = new Set([
	'completed',
	'busy',
	'failed',
	'no-answer',
	'canceled',
]);

const FORM_TYPE = 'application/x-www-form-urlencoded';

// ---------------------------------------------------------------------------
// What the spec says only in prose, and Twilio's documented rules
// ---------------------------------------------------------------------------

const NO_SURROUNDING_SPACE = {
	schema: { pattern: '^\\S(.*\\S)?$' },
	why: 'E.164 and channel addresses have no spaces; a "+" sent unencoded arrives as one',
};

/**
 * Constraints the spec gives in a parameter's description but not its
 * schema. The unit test checks every enum value here against that
 * description, so the list cannot drift from the spec's words.
 */
export const TWILIO_OVERLAYS: Overlays = {
	CreateCall: {
		To: NO_SURROUNDING_SPACE,
		From: NO_SURROUNDING_SPACE,
		MachineDetection: {
			schema: { enum: ['Enable', 'DetectMessageEnd'] },
			why: 'description: "Can be: `Enable` or `DetectMessageEnd`"',
		},
		StatusCallbackEvent: {
			schema: { items: { enum: ['initiated', 'ringing', 'answered', 'completed'] } },
			why: 'description: "Can be: `initiated`, `ringing`, `answered`, and `completed`"',
		},
		RecordingStatusCallbackEvent: {
			schema: {
				items: { pattern: '^(in-progress|completed|absent)( (in-progress|completed|absent))*$' },
			},
			why: 'description: "Can be: `in-progress`, `completed` and `absent` … Separate multiple values with a space"',
		},
		RecordingChannels: {
			schema: { enum: ['mono', 'dual'] },
			why: 'description: "Can be: `mono` or `dual`"',
		},
		RecordingTrack: {
			schema: { enum: ['inbound', 'outbound', 'both'] },
			why: 'description: "Can be: `inbound`, `outbound` or `both`"',
		},
		Trim: {
			schema: { enum: ['trim-silence', 'do-not-trim'] },
			why: 'description: "Can be: `trim-silence` or `do-not-trim`"',
		},
		AsyncAmd: {
			schema: { enum: ['true', 'false'] },
			why: 'description: "Can be: `true` or `false`"',
		},
		SendDigits: {
			schema: { pattern: '^[0-9A-DwW#*]{1,32}$' },
			why: 'description: digits 0-9, A-D, #, *, w and W, "a maximum length of 32 digits"',
		},
		Timeout: { schema: { maximum: 600 }, why: 'description: "the maximum is `600` seconds"' },
		Twiml: { schema: { maxLength: 4000 }, why: 'description: "Max 4000 characters"' },
		MachineDetectionSpeechThreshold: {
			schema: { minimum: 1000, maximum: 6000 },
			why: 'description: "Possible Values: 1000-6000"',
		},
		MachineDetectionSpeechEndThreshold: {
			schema: { minimum: 500, maximum: 5000 },
			why: 'description: "Possible Values: 500-5000"',
		},
		MachineDetectionSilenceTimeout: {
			schema: { minimum: 2000, maximum: 10000 },
			why: 'description: "Possible Values: 2000-10000"',
		},
	},
	UpdateCall: {
		Twiml: {
			schema: { maxLength: 4000 },
			why: "Twilio's TwiML limit, stated in Calls.create's description",
		},
	},
	CreateMessage: {
		To: NO_SURROUNDING_SPACE,
		From: NO_SURROUNDING_SPACE,
		Body: {
			schema: { maxLength: 1600 },
			why: 'description: "Can be up to 1,600 characters in length"',
		},
		MediaUrl: {
			schema: { maxItems: 10 },
			why: 'description: "You can include up to ten `media_url` parameters"',
		},
		ValidityPeriod: {
			schema: { minimum: 1, maximum: 36000 },
			why: 'description: "integers from `1` to `36000`"',
		},
	},
};

interface RuleFinding {
	parameter?: string;
	message: string;
	code: number;
}

function has(params: TwilioParams, name: string): boolean {
	return params[name] !== undefined && params[name] !== '';
}

function first(params: TwilioParams, name: string): string | undefined {
	const value = params[name];
	return Array.isArray(value) ? value[0] : value;
}

function all(params: TwilioParams, name: string): string[] {
	const value = params[name];
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [value];
}

function isJsonObject(text: string): boolean {
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
	} catch {
		return false;
	}
}

/** Rules between parameters that no schema keyword states; codes are Twilio's where Twilio documents one. */
const CROSS_PARAMETER_RULES: Readonly<Record<string, (params: TwilioParams) => RuleFinding[]>> = {
	CreateCall: (params) => {
		const findings: RuleFinding[] = [];
		if (!has(params, 'Url') && !has(params, 'Twiml') && !has(params, 'ApplicationSid')) {
			findings.push({
				parameter: 'Url',
				code: 20001,
				message: 'CreateCall needs one of Url, Twiml or ApplicationSid (error 21200)',
			});
		}
		if (has(params, 'Url') && has(params, 'Twiml')) {
			findings.push({
				parameter: 'Twiml',
				code: 20001,
				message:
					'CreateCall: Twiml is ignored when Url is also sent (description: "If both `twiml` and `url` are provided then `twiml` parameter will be ignored")',
			});
		}
		return findings;
	},
	UpdateCall: (params) =>
		has(params, 'Url') && has(params, 'Twiml')
			? [
					{
						parameter: 'Twiml',
						code: 20001,
						message: 'UpdateCall: "Twiml and url parameters are mutually exclusive" (description)',
					},
				]
			: [],
	CreateMessage: (params) => {
		const findings: RuleFinding[] = [];
		if (!has(params, 'From') && !has(params, 'MessagingServiceSid')) {
			findings.push({
				parameter: 'From',
				code: 21603,
				message: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
			});
		}
		if (
			!has(params, 'Body') &&
			all(params, 'MediaUrl').length === 0 &&
			!has(params, 'ContentSid')
		) {
			findings.push({
				parameter: 'Body',
				code: 21602,
				message: 'Message body is required: send Body, MediaUrl or ContentSid',
			});
		}
		if (first(params, 'ScheduleType') === 'fixed') {
			if (!has(params, 'SendAt'))
				findings.push({
					parameter: 'SendAt',
					code: 35111,
					message: "SendAt is required when ScheduleType is 'fixed'",
				});
			if (!has(params, 'MessagingServiceSid')) {
				findings.push({
					parameter: 'MessagingServiceSid',
					code: 35118,
					message: 'MessagingServiceSid is required to schedule a message',
				});
			}
		}
		const variables = first(params, 'ContentVariables');
		if (variables !== undefined) {
			if (!has(params, 'ContentSid')) {
				findings.push({
					parameter: 'ContentVariables',
					code: 20001,
					message:
						'ContentVariables needs ContentSid (description: "`content_sid` parameter must also be provided")',
				});
			}
			if (!isJsonObject(variables)) {
				findings.push({
					parameter: 'ContentVariables',
					code: 20001,
					message: `ContentVariables must be a JSON object as a string, not ${JSON.stringify(variables)}`,
				});
			}
		}
		if (first(params, 'ShortenUrls') === 'true' && !has(params, 'MessagingServiceSid')) {
			findings.push({
				parameter: 'ShortenUrls',
				code: 20001,
				message: 'ShortenUrls=true needs MessagingServiceSid (description)',
			});
		}
		return findings;
	},
	UpdateParticipant: (params) =>
		first(params, 'Coaching') === 'true' && !has(params, 'CallSidToCoach')
			? [
					{
						parameter: 'CallSidToCoach',
						code: 20001,
						message:
							'UpdateParticipant: Coaching=true needs CallSidToCoach (description: "If `true`, `call_sid_to_coach` must be defined")',
					},
				]
			: [],
};

/** Twilio's own codes for the schema findings it documents one for; 20001 (invalid parameter) otherwise. */
const FINDING_CODES: Readonly<Record<string, number>> = {
	'CreateCall:To:required': 21201,
	'CreateCall:From:required': 21213,
	'CreateMessage:To:required': 21604,
	'CreateMessage:MediaUrl:maxItems': 21623,
	'CreateMessage:Body:maxLength': 21617,
};

function codeAndStatus(
	operationId: string | undefined,
	finding: Finding,
): { code: number; status: number } {
	if (finding.keyword === 'unknown-path') return { code: 20404, status: 404 };
	if (finding.keyword === 'unknown-method') return { code: 20004, status: 405 };
	return {
		code: FINDING_CODES[`${operationId}:${finding.parameter}:${finding.keyword}`] ?? 20001,
		status: 400,
	};
}

// ---------------------------------------------------------------------------
// Specs, loaded once per process and shared by every server
// ---------------------------------------------------------------------------

let documents: Array<{ name: string; document: OasDocument }> | undefined;
const routers = new Map<boolean, OpenApiRouter>();

function twilioRouter(documented: boolean): OpenApiRouter {
	documents ??= TWILIO_SPEC_FILES.map((name) => ({
		name,
		document: JSON.parse(readFileSync(join(TWILIO_FIXTURES_DIR, name), 'utf8')) as OasDocument,
	}));
	let router = routers.get(documented);
	if (router === undefined) {
		router = new OpenApiRouter(documents, documented ? TWILIO_OVERLAYS : {});
		routers.set(documented, router);
	}
	return router;
}

// ---------------------------------------------------------------------------
// Wire helpers
// ---------------------------------------------------------------------------

export function twilioSid(prefix: string): string {
	return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Twilio's date format: RFC 2822 with a numeric zone. */
function rfc2822(date: Date | undefined): string | null {
	return date === undefined ? null : date.toUTCString().replace('GMT', '+0000');
}

function wireValues(search: URLSearchParams): WireValues {
	const values: WireValues = {};
	for (const [key, value] of search) (values[key] ??= []).push(value);
	return values;
}

function flatten(values: WireValues): Record<string, string | string[]> {
	return Object.fromEntries(
		Object.entries(values).map(([key, list]) => [key, list.length === 1 ? (list[0] ?? '') : list]),
	);
}

export function twilioError(status: number, code: number, message: string): TwilioReply {
	return {
		status,
		body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
	};
}

const STANDARD_MESSAGES: Readonly<Record<number, string>> = {
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

function notFound(path: string): TwilioReply {
	return twilioError(404, 20404, `The requested resource ${path} was not found`);
}

/** GSM-7 text takes 160 characters in one segment, 153 per part; anything else UCS-2, 70 and 67. Approximate. */
function segments(body: string): number {
	const gsm = /^[\n\r\x20-\x7E£¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà]*$/.test(body);
	const length = [...body].length;
	const [single, part] = gsm ? [160, 153] : [70, 67];
	return length <= single ? 1 : Math.ceil(length / part);
}

// ---------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------

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
		const now = new Date();
		const state: CallState = {
			sid: twilioSid('CA'),
			to: '+15005550006',
			from: '+15005550001',
			status: 'in-progress',
			direction: 'inbound',
			createdAt: now,
			updatedAt: now,
			startedAt: now,
			createParams: {},
			updates: [],
			...call,
		};
		this.calls.set(state.sid, state);
		return state;
	}

	addConference(conference: Partial<ConferenceState> = {}): ConferenceState {
		const now = new Date();
		const state: ConferenceState = {
			sid: twilioSid('CF'),
			friendlyName: 'Test conference',
			status: 'in-progress',
			createdAt: now,
			updatedAt: now,
			...conference,
		};
		this.conferences.set(state.sid, state);
		this.participants.set(state.sid, this.participants.get(state.sid) ?? new Map());
		return state;
	}

	/** A participant (and its call, unless `callSid` names one) in a conference that is added if missing. */
	addParticipant(
		conferenceSid: string,
		participant: Partial<ParticipantState> = {},
	): ParticipantState {
		if (!this.conferences.has(conferenceSid)) this.addConference({ sid: conferenceSid });
		const callSid = participant.callSid ?? this.addCall().sid;
		const now = new Date();
		const state: ParticipantState = {
			conferenceSid,
			callSid,
			label: null,
			muted: false,
			hold: false,
			coaching: false,
			callSidToCoach: null,
			endConferenceOnExit: false,
			startConferenceOnEnter: true,
			status: 'connected',
			createdAt: now,
			updatedAt: now,
			updates: [],
			...participant,
		};
		this.participants.get(conferenceSid)?.set(callSid, state);
		return state;
	}

	/** The call as Twilio would show it now: a queued call is answered `answerAfterMs` after creation. */
	call(sid: string): CallState | undefined {
		const call = this.calls.get(sid);
		const answerAfterMs = this.options.answerAfterMs ?? 0;
		if (call?.status === 'queued' && Date.now() - call.createdAt.getTime() >= answerAfterMs) {
			call.status = 'in-progress';
			call.startedAt = new Date();
			call.updatedAt = call.startedAt;
		}
		return call;
	}

	setCallStatus(sid: string, status: CallStatus): void {
		const call = this.calls.get(sid);
		if (call === undefined) throw new Error(`No call ${sid}`);
		call.status = status;
		call.updatedAt = new Date();
		if (status === 'in-progress') call.startedAt ??= call.updatedAt;
		if (FINAL_CALL_STATUSES.has(status)) call.endedAt ??= call.updatedAt;
	}

	participant(conferenceSid: string, callSidOrLabel: string): ParticipantState | undefined {
		const inConference = this.participants.get(conferenceSid);
		if (inConference === undefined) return undefined;
		return (
			inConference.get(callSidOrLabel) ??
			[...inConference.values()].find((p) => p.label === callSidOrLabel)
		);
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
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
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
			headers: req.headers,
			pathParams: {},
			violations: [],
		};
		this.requests.push(request);

		const route = this.router.route(method, url.pathname);
		let operation: CompiledOperation | undefined;
		if (route.kind === 'operation') {
			operation = route.operation;
			request.operationId = operation.id;
			request.pathParams = route.pathParams;
			let body: unknown = formValues;
			if (contentType === 'application/json') body = parseJson(rawBody);
			this.record(
				request,
				operation.check({
					pathParams: route.pathParams,
					query,
					headers: req.headers,
					contentType,
					body,
				}),
			);
			const rules =
				this.options.documentedRules === false ? undefined : CROSS_PARAMETER_RULES[operation.id];
			for (const finding of rules?.(request.form) ?? []) this.recordRule(request, finding);
		} else {
			this.record(request, [
				route.kind === 'unknown-path'
					? {
							location: 'route',
							keyword: 'unknown-path',
							source: 'spec',
							message: `No path of Twilio's specs matches ${url.pathname}`,
						}
					: {
							location: 'route',
							keyword: 'unknown-method',
							source: 'spec',
							message: `${method} is not an operation of ${url.pathname} (the spec has ${route.allowed.join(', ')})`,
						},
			]);
		}

		const latency = this.latency(request);
		if (latency > 0) await sleep(latency);

		const reply = await this.answer(request, operation, res);
		if (reply === undefined) return;
		request.status = reply.status;
		const headers: Record<string, string> = {
			'twilio-request-id': twilioSid('RQ'),
			...reply.headers,
		};
		if (reply.body === undefined || reply.status === 204) {
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
	): Promise<TwilioReply | undefined> {
		if (!this.authenticate(request)) return twilioError(401, 20003, 'Authenticate');

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

	private authenticate(request: TwilioRequest): boolean {
		const header = request.headers.authorization;
		if (!header?.startsWith('Basic ')) return false;
		const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
		const separator = decoded.indexOf(':');
		const user = decoded.slice(0, separator);
		const password = decoded.slice(separator + 1);
		const { accountSid, authToken, apiKeys = [] } = this.options;
		let kind: 'authToken' | 'apiKey' | 'rejected' = 'rejected';
		if (separator >= 0 && user === accountSid && password === authToken) kind = 'authToken';
		else if (separator >= 0 && apiKeys.some((key) => key.sid === user && key.secret === password))
			kind = 'apiKey';
		// The credentials open one account: a path naming another one is refused like a wrong password.
		const pathAccount =
			request.pathParams.AccountSid ??
			(request.operationId === 'FetchAccount' ? request.pathParams.Sid : undefined);
		if (pathAccount !== undefined && pathAccount !== accountSid) kind = 'rejected';
		request.auth = { user, kind };
		return kind !== 'rejected';
	}

	private record(request: TwilioRequest, findings: Finding[]): void {
		for (const finding of findings) {
			const { code, status } = codeAndStatus(request.operationId, finding);
			this.push(request, {
				source: finding.source,
				location: finding.location,
				parameter: finding.parameter,
				message: finding.message,
				code,
				status,
			});
		}
	}

	private recordRule(request: TwilioRequest, finding: RuleFinding): void {
		this.push(request, {
			source: 'documented',
			location: 'body',
			parameter: finding.parameter,
			message: finding.message,
			code: finding.code,
			status: 400,
		});
	}

	private push(
		request: TwilioRequest,
		violation: Omit<SpecViolation, 'request' | 'operationId'>,
	): void {
		const full: SpecViolation = {
			request: `${request.method} ${request.path}`,
			operationId: request.operationId,
			...violation,
		};
		request.violations.push(full);
		this.violations.push(full);
	}
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

function faultMatches(options: FaultOptions, request: TwilioRequest): boolean {
	if (options.method !== undefined && options.method.toUpperCase() !== request.method) return false;
	if (options.operationId !== undefined && options.operationId !== request.operationId)
		return false;
	if (options.path === undefined) return true;
	return typeof options.path === 'string'
		? request.path.includes(options.path)
		: options.path.test(request.path);
}

function faultReply(options: FaultOptions): TwilioReply {
	const status = options.status ?? 500;
	const reply: TwilioReply =
		options.body !== undefined
			? { status, body: options.body }
			: twilioError(status, 20000 + status, STANDARD_MESSAGES[status] ?? `HTTP ${status}`);
	if (options.retryAfter !== undefined)
		reply.headers = { 'retry-after': String(options.retryAfter) };
	return reply;
}

// ---------------------------------------------------------------------------
// Resources
// ---------------------------------------------------------------------------

function accountPath(server: TwilioServer): string {
	return `/2010-04-01/Accounts/${server.accountSid}`;
}

/** The fields every API 2010 resource with a SID has, and the path it lives at. */
function resourceBase(
	context: TwilioContext,
	collection: string,
	state: { sid: string; createdAt: Date; updatedAt: Date },
): { base: string; fields: Record<string, unknown> } {
	const base = `${accountPath(context.server)}/${collection}/${state.sid}`;
	return {
		base,
		fields: {
			sid: state.sid,
			account_sid: context.server.accountSid,
			date_created: rfc2822(state.createdAt),
			date_updated: rfc2822(state.updatedAt),
			api_version: '2010-04-01',
			uri: `${base}.json`,
		},
	};
}

function callResource(context: TwilioContext, call: CallState): Record<string, unknown> {
	const { base, fields } = resourceBase(context, 'Calls', call);
	const duration =
		call.endedAt === undefined
			? null
			: String(
					Math.round((call.endedAt.getTime() - (call.startedAt ?? call.endedAt).getTime()) / 1000),
				);
	return context.server.shape(context.operation, {
		...fields,
		to: call.to,
		to_formatted: call.to,
		from: call.from,
		from_formatted: call.from,
		status: call.status,
		direction: call.direction,
		start_time: rfc2822(call.startedAt),
		end_time: rfc2822(call.endedAt),
		duration,
		price_unit: 'USD',
		queue_time: '0',
		subresource_uris: {
			notifications: `${base}/Notifications.json`,
			recordings: `${base}/Recordings.json`,
			payments: `${base}/Payments.json`,
			events: `${base}/Events.json`,
			siprec: `${base}/Siprec.json`,
			streams: `${base}/Streams.json`,
			transcriptions: `${base}/Transcriptions.json`,
			user_defined_message_subscriptions: `${base}/UserDefinedMessageSubscriptions.json`,
			user_defined_messages: `${base}/UserDefinedMessages.json`,
		},
	});
}

function messageResource(context: TwilioContext, message: MessageState): Record<string, unknown> {
	const { base, fields } = resourceBase(context, 'Messages', message);
	return context.server.shape(context.operation, {
		...fields,
		to: message.to,
		from: message.from,
		body: message.body,
		status: message.status,
		direction: 'outbound-api',
		num_media: String(message.mediaUrls.length),
		num_segments: String(segments(message.body)),
		messaging_service_sid: message.messagingServiceSid,
		price_unit: 'USD',
		subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
	});
}

function conferenceResource(
	context: TwilioContext,
	conference: ConferenceState,
): Record<string, unknown> {
	const { base, fields } = resourceBase(context, 'Conferences', conference);
	return context.server.shape(context.operation, {
		...fields,
		friendly_name: conference.friendlyName,
		status: conference.status,
		region: 'us1',
		reason_conference_ended: conference.reasonEnded,
		subresource_uris: {
			participants: `${base}/Participants.json`,
			recordings: `${base}/Recordings.json`,
		},
	});
}

function participantResource(
	context: TwilioContext,
	participant: ParticipantState,
): Record<string, unknown> {
	return context.server.shape(context.operation, {
		account_sid: context.server.accountSid,
		call_sid: participant.callSid,
		conference_sid: participant.conferenceSid,
		label: participant.label,
		muted: participant.muted,
		hold: participant.hold,
		coaching: participant.coaching,
		call_sid_to_coach: participant.callSidToCoach,
		end_conference_on_exit: participant.endConferenceOnExit,
		start_conference_on_enter: participant.startConferenceOnEnter,
		status: participant.status,
		queue_time: '0',
		date_created: rfc2822(participant.createdAt),
		date_updated: rfc2822(participant.updatedAt),
		uri: `${accountPath(context.server)}/Conferences/${participant.conferenceSid}/Participants/${participant.callSid}.json`,
	});
}

function withCall(context: TwilioContext, then: (call: CallState) => TwilioReply): TwilioReply {
	const call = context.server.call(context.pathParams.Sid ?? '');
	return call === undefined ? notFound(context.request.path) : then(call);
}

function withConference(
	context: TwilioContext,
	then: (conference: ConferenceState) => TwilioReply,
): TwilioReply {
	const conference = context.server.conferences.get(context.pathParams.Sid ?? '');
	return conference === undefined ? notFound(context.request.path) : then(conference);
}

function withParticipant(
	context: TwilioContext,
	then: (participant: ParticipantState) => TwilioReply,
): TwilioReply {
	const participant = context.server.participant(
		context.pathParams.ConferenceSid ?? '',
		context.pathParams.CallSid ?? '',
	);
	return participant === undefined ? notFound(context.request.path) : then(participant);
}

function withMessage(
	context: TwilioContext,
	then: (message: MessageState) => TwilioReply,
): TwilioReply {
	const message = context.server.messages.get(context.pathParams.Sid ?? '');
	return message === undefined ? notFound(context.request.path) : then(message);
}

function booleanParam(params: TwilioParams, name: string): boolean | undefined {
	const value = first(params, name)?.toLowerCase();
	return value === undefined ? undefined : value === 'true';
}

const DEFAULT_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	FetchAccount: (context) => ({
		status: 200,
		body: context.server.shape(context.operation, {
			sid: context.server.accountSid,
			friendly_name: 'Test account',
			status: 'active',
			type: 'Full',
			date_created: rfc2822(new Date(0)),
			date_updated: rfc2822(new Date(0)),
			uri: `${accountPath(context.server)}.json`,
		}),
	}),

	CreateCall: (context) => {
		const { params } = context;
		const now = new Date();
		const call: CallState = {
			sid: twilioSid('CA'),
			to: first(params, 'To') ?? '',
			from: first(params, 'From') ?? '',
			status: 'queued',
			direction: 'outbound-api',
			createdAt: now,
			updatedAt: now,
			twiml: first(params, 'Twiml'),
			url: first(params, 'Url'),
			createParams: params,
			updates: [],
		};
		context.server.calls.set(call.sid, call);
		return { status: 201, body: callResource(context, call) };
	},

	FetchCall: (context) =>
		withCall(context, (call) => ({ status: 200, body: callResource(context, call) })),

	UpdateCall: (context) =>
		withCall(context, (call) => {
			const { params } = context;
			const status = first(params, 'Status');
			const twiml = first(params, 'Twiml');
			const url = first(params, 'Url');
			if ((twiml !== undefined || url !== undefined) && call.status !== 'in-progress') {
				return twilioError(400, 21220, 'Call is not in-progress. Cannot redirect.');
			}
			call.updates.push(params);
			call.updatedAt = new Date();
			if (twiml !== undefined) [call.twiml, call.url] = [twiml, undefined];
			if (url !== undefined) [call.url, call.twiml] = [url, undefined];
			// `canceled` only stops a call that has not been answered; `completed` ends it either way.
			if (status === 'canceled' && (call.status === 'queued' || call.status === 'ringing'))
				context.server.setCallStatus(call.sid, 'canceled');
			if (status === 'completed' && !FINAL_CALL_STATUSES.has(call.status))
				context.server.setCallStatus(call.sid, 'completed');
			return { status: 200, body: callResource(context, call) };
		}),

	DeleteCall: (context) =>
		withCall(context, (call) =>
			context.server.calls.delete(call.sid) ? { status: 204 } : notFound(context.request.path),
		),

	CreateMessage: (context) => {
		const { params } = context;
		const now = new Date();
		const mediaUrls = all(params, 'MediaUrl');
		const messagingServiceSid = first(params, 'MessagingServiceSid') ?? null;
		const scheduled = first(params, 'ScheduleType') === 'fixed';
		const message: MessageState = {
			sid: twilioSid(mediaUrls.length > 0 ? 'MM' : 'SM'),
			to: first(params, 'To') ?? '',
			// With only a Messaging Service, Twilio picks the sender later.
			from: first(params, 'From') ?? null,
			body: first(params, 'Body') ?? '',
			mediaUrls,
			messagingServiceSid,
			status: scheduled ? 'scheduled' : messagingServiceSid !== null ? 'accepted' : 'queued',
			createdAt: now,
			updatedAt: now,
			sendAt: first(params, 'SendAt'),
			createParams: params,
		};
		context.server.messages.set(message.sid, message);
		return { status: 201, body: messageResource(context, message) };
	},

	FetchMessage: (context) =>
		withMessage(context, (message) => ({ status: 200, body: messageResource(context, message) })),

	UpdateMessage: (context) =>
		withMessage(context, (message) => {
			const status = first(context.params, 'Status');
			if (status === 'canceled') {
				if (message.status !== 'scheduled')
					return twilioError(400, 20001, 'Only a scheduled message can be canceled');
				message.status = 'canceled';
			}
			const body = first(context.params, 'Body');
			if (body !== undefined) message.body = body;
			message.updatedAt = new Date();
			return { status: 200, body: messageResource(context, message) };
		}),

	DeleteMessage: (context) =>
		withMessage(context, (message) =>
			context.server.messages.delete(message.sid)
				? { status: 204 }
				: notFound(context.request.path),
		),

	FetchConference: (context) =>
		withConference(context, (conference) => ({
			status: 200,
			body: conferenceResource(context, conference),
		})),

	UpdateConference: (context) =>
		withConference(context, (conference) => {
			const announceUrl = first(context.params, 'AnnounceUrl');
			if (announceUrl !== undefined) conference.announceUrl = announceUrl;
			if (first(context.params, 'Status') === 'completed' && conference.status !== 'completed') {
				conference.status = 'completed';
				conference.reasonEnded = 'conference-ended-via-api';
				for (const participant of context.server.participants.get(conference.sid)?.values() ?? []) {
					const call = context.server.calls.get(participant.callSid);
					if (call && !FINAL_CALL_STATUSES.has(call.status))
						context.server.setCallStatus(call.sid, 'completed');
				}
				context.server.participants.get(conference.sid)?.clear();
			}
			conference.updatedAt = new Date();
			return { status: 200, body: conferenceResource(context, conference) };
		}),

	FetchParticipant: (context) =>
		withParticipant(context, (participant) => ({
			status: 200,
			body: participantResource(context, participant),
		})),

	UpdateParticipant: (context) =>
		withParticipant(context, (participant) => {
			const { params } = context;
			participant.updates.push(params);
			participant.hold = booleanParam(params, 'Hold') ?? participant.hold;
			participant.muted = booleanParam(params, 'Muted') ?? participant.muted;
			participant.coaching = booleanParam(params, 'Coaching') ?? participant.coaching;
			participant.endConferenceOnExit =
				booleanParam(params, 'EndConferenceOnExit') ?? participant.endConferenceOnExit;
			participant.callSidToCoach = first(params, 'CallSidToCoach') ?? participant.callSidToCoach;
			participant.holdUrl = first(params, 'HoldUrl') ?? participant.holdUrl;
			participant.holdMethod = first(params, 'HoldMethod') ?? participant.holdMethod;
			participant.updatedAt = new Date();
			return { status: 200, body: participantResource(context, participant) };
		}),

	DeleteParticipant: (context) =>
		withParticipant(context, (participant) => {
			context.server.participants.get(participant.conferenceSid)?.delete(participant.callSid);
			const call = context.server.calls.get(participant.callSid);
			if (call && !FINAL_CALL_STATUSES.has(call.status))
				context.server.setCallStatus(call.sid, 'completed');
			return { status: 204 };
		}),
};

// ---------------------------------------------------------------------------
// Faults at random rates (Send SMS/MMS reliability tests). `inject` faults
// the next N matching requests; these fault a share of them, anywhere in a
// run, the way a throttled or failing service does under load.
// ---------------------------------------------------------------------------

export interface RandomFaultRates {
	/** Share of answers that are 429: never processed, as Twilio's are. */
	throttled: number;
	/** Share answered 500 before processing: nothing is created. */
	failedBefore?: number;
	/** Share answered 502 after processing: the resource exists, the answer says it failed. */
	failedAfter?: number;
	/** Seed of the generator, so a run can be repeated. */
	seed?: number;
}

export interface RandomFaultTally {
	throttled: number;
	failedBefore: number;
	/** SIDs of what was created although the answer was 502. */
	createdButFailed: string[];
	passed: number;
}

/** The built-in handler of an operation, e.g. to put it back after `handle` replaced it. */
export function defaultTwilioHandler(operationId: string): TwilioHandler {
	const handler = DEFAULT_HANDLERS[operationId];
	if (handler === undefined)
		throw new Error(`The test server has no built-in handler for ${operationId}`);
	return handler;
}

/** Small seeded generator (mulberry32): the same seed gives the same faults. */
function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A handler for `operationId` that answers a share of requests with faults
 * and processes the rest with the built-in handler; the tally says what
 * happened. Use it with `server.handle(operationId, handler)`.
 */
export function randomFaults(
	operationId: string,
	rates: RandomFaultRates,
): { handler: TwilioHandler; tally: RandomFaultTally } {
	const process = defaultTwilioHandler(operationId);
	const random = seededRandom(rates.seed ?? 1);
	const tally: RandomFaultTally = {
		throttled: 0,
		failedBefore: 0,
		createdButFailed: [],
		passed: 0,
	};
	const handler: TwilioHandler = async (context) => {
		const draw = random();
		const failedBefore = rates.failedBefore ?? 0;
		const failedAfter = rates.failedAfter ?? 0;
		if (draw < rates.throttled) {
			tally.throttled += 1;
			return twilioError(429, 20429, STANDARD_MESSAGES[429] ?? 'Too Many Requests');
		}
		if (draw < rates.throttled + failedBefore) {
			tally.failedBefore += 1;
			return twilioError(500, 20500, STANDARD_MESSAGES[500] ?? 'Internal Server Error');
		}
		const reply = await process(context);
		if (draw < rates.throttled + failedBefore + failedAfter && reply.status < 300) {
			tally.createdButFailed.push(String((reply.body as { sid?: unknown } | undefined)?.sid));
			return twilioError(502, 20502, STANDARD_MESSAGES[502] ?? 'Bad Gateway');
		}
		tally.passed += 1;
		return reply;
	};
	return { handler, tally };
}
