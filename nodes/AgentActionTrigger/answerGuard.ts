/**
 * Keeps the agent's time budget: the agent waits a fixed time for its answer
 * (Vocode: 10 s), whatever the workflow does. n8n answers the request when the
 * last node finishes or a Respond node sends; this guard stands between n8n
 * and the request's response object. If no answer has gone out by the
 * deadline it answers the fallback itself, and an answer that is not
 * `{result, agent_message}` (a failed workflow's error, a last node without
 * `result`) is replaced by the fallback. n8n offers no hook at the end of a
 * webhook's run, so the guard wraps this one response's writing methods.
 */
import type { ServerResponse } from 'node:http';

import type { IDataObject } from 'n8n-workflow';

export interface AgentAnswer extends IDataObject {
	result: IDataObject;
	agent_message?: string;
}

/** Why the agent got the fallback: told in a response header, so the answer says whose it is. */
export type FallbackReason = 'deadline' | 'invalid-answer';
export const FALLBACK_HEADER = 'x-agent-action-fallback';

export interface AnswerGuard {
	/** Milliseconds from now after which the fallback is answered. */
	deadlineMs: number;
	fallback: AgentAnswer;
	/** Told when the fallback is answered, or a late answer is dropped. */
	warn: (message: string) => void;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What keeps `body` (with `status`) from being an answer the agent reads; undefined when it is one. */
export function answerProblem(status: number, body: string): string | undefined {
	if (status < 200 || status > 299) return `the answer has status ${status}`;
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return 'the answer is not JSON';
	}
	if (!isObject(parsed)) return 'the answer is not a JSON object';
	if (!isObject(parsed.result)) return 'the answer has no "result" object';
	const message = parsed.agent_message;
	if (message !== undefined && message !== null && typeof message !== 'string')
		return '"agent_message" is not text';
	return undefined;
}

type End = ServerResponse['end'];
type Callback = (error?: Error | null) => void;

function textOf(chunk: unknown, encoding: unknown): string {
	if (Buffer.isBuffer(chunk)) return chunk.toString('utf8');
	if (chunk instanceof Uint8Array) return Buffer.from(chunk).toString('utf8');
	if (typeof chunk === 'string')
		return typeof encoding === 'string' && Buffer.isEncoding(encoding)
			? Buffer.from(chunk, encoding).toString('utf8')
			: chunk;
	return '';
}

function callbackOf(...args: unknown[]): Callback | undefined {
	const last = args.find((arg) => typeof arg === 'function');
	return last as Callback | undefined;
}

/**
 * Guards `response` until it is answered: the fallback at the deadline, the
 * fallback instead of an answer of the wrong shape, and nothing of an answer
 * that comes after the fallback went out.
 */
export function guardAgentAnswer(response: ServerResponse, guard: AnswerGuard): void {
	let answeredByGuard: FallbackReason | undefined;
	const original = {
		end: response.end.bind(response) as (...args: unknown[]) => ServerResponse,
		write: response.write.bind(response) as (...args: unknown[]) => boolean,
		writeHead: response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse,
		setHeader: response.setHeader.bind(response),
		removeHeader: response.removeHeader.bind(response),
	};

	const answerFallback = (reason: FallbackReason): void => {
		clearTimeout(timer);
		// What n8n set for its own answer (length, ETag) does not describe the fallback.
		for (const name of response.getHeaderNames()) original.removeHeader(name);
		original.setHeader('content-type', 'application/json; charset=utf-8');
		original.setHeader(FALLBACK_HEADER, reason);
		original.writeHead(200);
		original.end(JSON.stringify(guard.fallback));
		answeredByGuard = reason;
	};

	const timer = setTimeout(() => {
		if (response.headersSent || response.writableEnded) return;
		guard.warn(`no answer within ${guard.deadlineMs / 1000} s: the agent got the fallback answer`);
		answerFallback('deadline');
	}, guard.deadlineMs);
	// n8n's server keeps the process alive; the deadline alone must not.
	timer.unref();
	response.once('close', () => clearTimeout(timer));

	let lateAnswerTold = false;
	/** n8n also ends a response it has answered once more, without data: that is no answer. */
	const dropLate = (data: unknown): void => {
		if (lateAnswerTold || answeredByGuard !== 'deadline') return;
		if (data === undefined || typeof data === 'function') return;
		lateAnswerTold = true;
		guard.warn('the workflow answered after the deadline; the agent had the fallback answer');
	};

	response.end = ((...args: unknown[]) => {
		if (answeredByGuard) {
			dropLate(args[0]);
			callbackOf(...args)?.();
			return response;
		}
		clearTimeout(timer);
		// Headers already out (a streamed answer): too late to replace, the answer stands.
		if (!response.headersSent) {
			const chunk = typeof args[0] === 'function' ? undefined : args[0];
			const problem = answerProblem(response.statusCode, textOf(chunk, args[1]));
			if (problem !== undefined) {
				guard.warn(`${problem}, not {result, agent_message}: the agent got the fallback answer`);
				answerFallback('invalid-answer');
				callbackOf(...args)?.();
				return response;
			}
		}
		return original.end(...args);
	}) as End;
	// After the fallback went out, what n8n writes of a late answer is dropped instead of failing on sent headers.
	response.write = ((...args: unknown[]) => {
		if (!answeredByGuard) return original.write(...args);
		dropLate(args[0]);
		return true;
	}) as ServerResponse['write'];
	response.writeHead = ((...args: unknown[]) =>
		answeredByGuard ? response : original.writeHead(...args)) as ServerResponse['writeHead'];
	response.setHeader = ((name: string, value: number | string | readonly string[]) =>
		answeredByGuard ? response : original.setHeader(name, value)) as ServerResponse['setHeader'];
	response.removeHeader = (name: string) => {
		if (!answeredByGuard) original.removeHeader(name);
	};
}
