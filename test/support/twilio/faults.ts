/** Injected faults: which request one meets, and the answer it gives instead of processing. */
import type { FaultOptions, TwilioReply, TwilioRequest } from './types';
import { STANDARD_MESSAGES, twilioError } from './wire';

export function faultMatches(options: FaultOptions, request: TwilioRequest): boolean {
	if (options.method !== undefined && options.method.toUpperCase() !== request.method) return false;
	if (options.operationId !== undefined && options.operationId !== request.operationId)
		return false;
	if (options.path === undefined) return true;
	return typeof options.path === 'string'
		? request.path.includes(options.path)
		: options.path.test(request.path);
}

export function faultReply(options: FaultOptions): TwilioReply {
	const status = options.status ?? 500;
	const reply: TwilioReply =
		options.body !== undefined
			? { status, body: options.body }
			: twilioError(status, 20000 + status, STANDARD_MESSAGES[status] ?? `HTTP ${status}`);
	if (options.retryAfter !== undefined)
		reply.headers = { 'retry-after': String(options.retryAfter) };
	return reply;
}
