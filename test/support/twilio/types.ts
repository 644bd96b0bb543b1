/** What the stand-in takes and gives: requests as recorded, replies, handlers, faults, its options. */
import type { IncomingHttpHeaders } from 'node:http';

import type { CompiledOperation, Finding } from '../openapi';
import type { TwilioServer } from './server';

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
	/** The body's bytes, for uploads that are not text. */
	rawBytes: Buffer;
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
	/** performance.now() when the request reached the server, before its body was read. */
	receivedAt: number;
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

/** A route Twilio serves outside its OpenAPI specs (the Media Content Service, media files); see offSpec.ts. */
export interface OffSpecRoute {
	id: string;
	method: string;
	path: RegExp;
	/** No Basic auth: a presigned media location. */
	public?: boolean;
	handler: (server: TwilioServer, request: TwilioRequest) => TwilioReply | Promise<TwilioReply>;
}
