import type { IncomingHttpHeaders } from 'node:http';

import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_SIGNATURE_HEADER,
	isBase64Secret,
	verifySignature,
} from '../shared/transport/signing';
import {
	compileInputSchema,
	InputSchemaError,
	type InputSchema,
} from '../shared/validation/inputSchema';

/** What the workflow receives: the agent's arguments and the call they belong to. */
export interface AgentAction {
	payload: IDataObject;
	call_id: string | null;
}

/** The JSON answered when a request does not start the workflow. */
export interface AgentRequestRefusal {
	error: string;
	problems?: string[];
}

export type AgentRequestCheck =
	| { ok: true; action: AgentAction }
	| { ok: false; status: 400 | 401 | 500; body: AgentRequestRefusal };

export interface AgentRequest {
	/** The Request Signing credential's secret; undefined when it could not be read. */
	secret: string | undefined;
	/** The body bytes exactly as received: the signature covers these, not a re-serialisation. */
	rawBody: Buffer | undefined;
	headers: IncomingHttpHeaders;
	signatureHeader: string;
	/** The Input Schema parameter: empty for none, else a JSON string or an object. */
	inputSchema: unknown;
}

/** The configured header name as Node's lower-cased header keys have it; the default when left empty. */
export function normaliseHeaderName(name: string | undefined): string {
	const trimmed = (name ?? '').trim().toLowerCase();
	return trimmed === '' ? DEFAULT_SIGNATURE_HEADER : trimmed;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name];
	const first = Array.isArray(value) ? value[0] : value;
	return first === undefined || first.trim() === '' ? undefined : first.trim();
}

function refuse(status: 400 | 401 | 500, error: string, problems?: string[]): AgentRequestCheck {
	return { ok: false, status, body: problems ? { error, problems } : { error } };
}

function hasSchema(raw: unknown): boolean {
	if (raw === undefined || raw === null) return false;
	return typeof raw !== 'string' || raw.trim() !== '';
}

/** The compiled Input Schema, none, or what makes it unusable. */
export function readInputSchema(raw: unknown): { schema?: InputSchema; problem?: string } {
	if (!hasSchema(raw)) return {};
	try {
		return { schema: compileInputSchema(raw) };
	} catch (error) {
		if (error instanceof InputSchemaError) return { problem: error.message };
		return {
			problem: `Input schema cannot be used: ${error instanceof Error ? error.message : String(error)}`,
		};
	}
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `{payload, call_id}` from the raw body, or says what is wrong with it. */
export function parseAgentBody(rawBody: Buffer): { action?: AgentAction; problem?: string } {
	let body: unknown;
	try {
		body = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { problem: 'The body is not JSON' };
	}
	if (!isObject(body)) return { problem: 'The body must be a JSON object with a "payload" object' };
	if (!isObject(body.payload)) return { problem: 'The body has no "payload" object' };
	const callId = body.call_id;
	if (callId !== undefined && callId !== null && typeof callId !== 'string')
		return { problem: '"call_id" must be a string' };
	return { action: { payload: body.payload, call_id: callId ?? null } };
}

/**
 * Decides whether a signed agent request starts the workflow: first who sent
 * it (the signature over the raw bytes), then whether the node is usable,
 * then what was sent. A caller without the secret learns nothing about the
 * schema or the body rules.
 */
export function checkAgentRequest(request: AgentRequest): AgentRequestCheck {
	if (request.secret === undefined || !isBase64Secret(request.secret)) {
		return refuse(500, 'The Request Signing credential of this trigger has no base64 secret');
	}
	const signature = headerValue(request.headers, request.signatureHeader);
	if (signature === undefined) return refuse(401, `Missing ${request.signatureHeader} header`);
	if (!verifySignature(request.secret, request.rawBody ?? Buffer.alloc(0), signature)) {
		return refuse(401, `The ${request.signatureHeader} signature does not match the body`);
	}

	const { schema, problem: schemaProblem } = readInputSchema(request.inputSchema);
	if (schemaProblem !== undefined) return refuse(500, schemaProblem);

	const { action, problem: bodyProblem } = parseAgentBody(request.rawBody ?? Buffer.alloc(0));
	if (action === undefined) return refuse(400, bodyProblem ?? 'The body cannot be read');

	const problems = schema?.problems(action.payload) ?? [];
	if (problems.length > 0)
		return refuse(400, 'The payload does not match the input schema', problems);
	return { ok: true, action };
}
