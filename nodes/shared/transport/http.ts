import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import type { JsonObject, JsonValue } from '../store/types';
import { isSessionResponseHeader } from '../commands/redaction';

/** How a request is authenticated: not at all, or by an n8n credential of any type that can sign requests. */
export type HttpAuthentication = { kind: 'none' } | { kind: 'credential'; credentialType: string };

export interface OutgoingHttpRequest {
	method: IHttpRequestMethods;
	url: string;
	headers: Record<string, string>;
	query: Record<string, string>;
	/** The exact bytes sent (a signature covers these), or none. */
	body?: string;
	timeoutMs: number;
}

/** A response of any status: the request completed. */
export interface HttpResponse {
	completed: true;
	statusCode: number;
	headers: JsonObject;
	body: JsonValue;
	durationMs: number;
}

/** No complete response: refused, reset, timed out, DNS failure … */
export interface HttpFailure {
	completed: false;
	errorMessage: string;
	errorCode: string | null;
	statusCode: number | null;
	body: JsonValue;
	durationMs: number;
}

export type HttpOutcome = HttpResponse | HttpFailure;

/**
 * Sends one request through n8n's HTTP helpers (so proxies, TLS settings and
 * credentials behave as in n8n's own nodes) and reports how it ended, never
 * throwing: any status is a completed response, a network failure or timeout
 * a failure.
 */
export async function sendHttpRequest(
	functions: IExecuteFunctions,
	request: OutgoingHttpRequest,
	authentication: HttpAuthentication,
): Promise<HttpOutcome> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		headers: request.headers,
		qs: request.query,
		body: request.body,
		timeout: request.timeoutMs,
		json: false,
		encoding: 'arraybuffer',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const started = Date.now();
	try {
		const response = (
			authentication.kind === 'none'
				? await functions.helpers.httpRequest(options)
				: await functions.helpers.httpRequestWithAuthentication.call(
						functions,
						authentication.credentialType,
						options,
					)
		) as IN8nHttpFullResponse;
		return {
			completed: true,
			statusCode: response.statusCode,
			headers: publicHeaders(response.headers),
			body: parseBody(response.body, response.headers['content-type']),
			durationMs: Date.now() - started,
		};
	} catch (error) {
		return describeFailure(error, request.timeoutMs, Date.now() - started);
	}
}

function publicHeaders(headers: IDataObject): JsonObject {
	const kept: JsonObject = {};
	for (const [name, value] of Object.entries(headers)) {
		if (isSessionResponseHeader(name) || value === undefined) continue;
		kept[name] = Array.isArray(value) ? value.map(String) : String(value);
	}
	return kept;
}

/** JSON when the answer is JSON (by its content type or, failing that, its look), else the text. */
export function parseBody(body: unknown, contentType: unknown): JsonValue {
	const text = Buffer.isBuffer(body)
		? body.toString('utf8')
		: typeof body === 'string'
			? body
			: body == null
				? ''
				: JSON.stringify(body);
	const declaredJson = typeof contentType === 'string' && /[/+]json\b/i.test(contentType);
	const looksJson = /^\s*[[{]/.test(text);
	if (text.trim() !== '' && (declaredJson || looksJson)) {
		try {
			return JSON.parse(text) as JsonValue;
		} catch {
			// Not JSON after all: the text is the body.
		}
	}
	return text;
}

interface ErrorLike {
	message?: unknown;
	code?: unknown;
	cause?: unknown;
	response?: { status?: unknown; data?: unknown };
	httpCode?: unknown;
}

/** The error and the errors it wraps, outermost first (n8n wraps axios' error). */
function errorChain(error: unknown): ErrorLike[] {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	while (current !== null && typeof current === 'object' && chain.length < 5) {
		chain.push(current as ErrorLike);
		current = (current as ErrorLike).cause;
	}
	return chain;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

function describeFailure(error: unknown, timeoutMs: number, durationMs: number): HttpFailure {
	const chain = errorChain(error);
	const code =
		chain
			.map((link) => link.code)
			.find((value): value is string => typeof value === 'string' && /^E[A-Z_]+$/.test(value)) ??
		null;
	const innermost = [...chain]
		.reverse()
		.find((link) => typeof link.message === 'string' && link.message !== '');
	let message = typeof innermost?.message === 'string' ? innermost.message : String(error);
	const timedOut = (code !== null && TIMEOUT_CODES.has(code)) || /timeout/i.test(message);
	if (timedOut) message = `The request timed out after ${timeoutMs / 1000} s`;
	const response = chain.find((link) => link.response)?.response;
	const status = Number(response?.status);
	return {
		completed: false,
		errorMessage: message,
		errorCode: timedOut ? 'ETIMEDOUT' : code,
		statusCode: Number.isInteger(status) ? status : null,
		body: response?.data === undefined ? null : parseBody(response.data, undefined),
		durationMs,
	};
}
