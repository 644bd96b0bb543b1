import type { IHttpRequestMethods } from 'n8n-workflow';

import type { Act, JsonObject } from '../../../store/types';
import {
	sendHttpRequest,
	type HttpAuthentication,
	type OutgoingHttpRequest,
} from '../../../transport/http';
import { DEFAULT_SIGNATURE_HEADER } from '../../../transport/signing';
import {
	optionalBoolean,
	optionalPositiveNumber,
	optionalString,
} from '../../../commands/arguments';
import { ArgumentError } from '../../../commands/errors';
import { redactRequestHeaders } from '../../../commands/redaction';
import type { CommandContext, CommandDefinition, CommandOutcome } from '../../../commands/types';
import { checkInputSchema } from '../inputSchema';
import { sendRequestProperties } from '../properties';
import {
	chosenArgument,
	HEADER_NAME,
	passThroughArgument,
	readAuthentication,
	readBody,
	readFormat,
	readHeaders,
	readMethod,
	readMode,
	readUrl,
	stringMapArgument,
	type RequestMode,
} from '../requestArguments';
import {
	actStatusOf,
	INTERRUPTED_AFTER_TIMEOUT_MS,
	resultPayload,
	routingOf,
	settleRequest,
	type InFlightResult,
	type ResponseFormat,
	type ResultRouting,
} from '../result';
import { signedRequest } from '../signing';

export const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 3600;

export interface SendRequestInput {
	request: OutgoingHttpRequest;
	authentication: HttpAuthentication;
	routing: ResultRouting;
	mode: RequestMode;
	format: ResponseFormat;
	/** The header that carries the body's signature, when the request is signed. */
	signatureHeader: string | null;
	/** The request as the act records it (secret headers redacted). */
	recorded: JsonObject;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	const wanted = name.toLowerCase();
	return Object.keys(headers).some((header) => header.toLowerCase() === wanted);
}

async function finishInBackground(
	context: CommandContext,
	input: SendRequestInput,
	request: OutgoingHttpRequest,
	act: Act,
): Promise<void> {
	try {
		const outcome = await sendHttpRequest(context.functions, request, input.authentication);
		await settleRequest(
			context.store,
			act,
			resultPayload(act.id, input.routing, outcome, input.format),
		);
	} catch (error) {
		// The store failed: the sweeper settles the act as interrupted later, so nothing is lost.
		context.functions.logger.error(
			`Send HTTP Request could not record the result of act ${act.id}: ${(error as Error).message}`,
		);
	}
}

export const sendRequest: CommandDefinition<SendRequestInput> = {
	integrationIdn: 'http',
	commandIdn: 'send_request',
	displayName: 'Send Request',
	description: 'Send an HTTP request; the response comes back as result_success or result_error',
	properties: sendRequestProperties,
	validate(args) {
		const method = readMethod(args);
		const url = readUrl(args);
		const headers = readHeaders(args);
		const queryArgument = chosenArgument(args, 'parameters', 'parametersJson', 'specifyQuery');
		const query = stringMapArgument(args, queryArgument);
		const body = readBody(args, method);
		checkInputSchema(args, body);
		const timeoutSeconds =
			optionalPositiveNumber(args, 'timeout', { max: MAX_TIMEOUT_SECONDS }) ??
			DEFAULT_TIMEOUT_SECONDS;
		const signatureHeader = optionalBoolean(args, 'signRequest')
			? (optionalString(args, 'signatureHeader') ?? DEFAULT_SIGNATURE_HEADER)
			: null;
		if (signatureHeader !== null && !HEADER_NAME.test(signatureHeader)) {
			throw new ArgumentError(
				'signatureHeader',
				`is not a valid header name: "${signatureHeader}"`,
			);
		}
		if (body && !hasHeader(headers, 'content-type')) headers['Content-Type'] = body.contentType;

		const recorded: JsonObject = {
			method,
			url,
			headers: redactRequestHeaders(headers),
			parameters: query,
			body: body?.contentType === 'application/json' ? body.value : null,
			data: body?.contentType === 'application/json' ? null : (body?.value ?? null),
			targetAction: optionalString(args, 'targetAction') ?? null,
			runSkill: optionalString(args, 'runSkill') ?? null,
			params: passThroughArgument(args, 'params'),
			request_parameters: passThroughArgument(args, 'request_parameters'),
			userPersonaId: optionalString(args, 'userPersonaId') ?? null,
			mode: readMode(args),
			timeout: timeoutSeconds,
			signed: signatureHeader !== null,
		};
		return {
			request: {
				method: method as IHttpRequestMethods,
				url,
				headers,
				query,
				body: body?.text,
				timeoutMs: Math.round(timeoutSeconds * 1000),
			},
			authentication: readAuthentication(args),
			routing: routingOf(recorded),
			mode: recorded.mode as RequestMode,
			format: readFormat(args),
			signatureHeader,
			recorded,
		};
	},
	recordArguments: (input) => input.recorded,
	async run(context, input, act): Promise<CommandOutcome> {
		const request = await signedRequest(context, input.request, input.signatureHeader);
		if (input.mode === 'sync') {
			const outcome = await sendHttpRequest(context.functions, request, input.authentication);
			const payload = resultPayload(act.id, input.routing, outcome, input.format);
			return { status: actStatusOf(payload), result: payload };
		}
		const inFlight: InFlightResult = {
			inFlight: true,
			interruptedAfter: Date.now() + input.request.timeoutMs + INTERRUPTED_AFTER_TIMEOUT_MS,
			format: input.format,
		};
		return {
			status: 'sent',
			result: { ...inFlight },
			continueInBackground: (sent) => void finishInBackground(context, input, request, sent),
		};
	},
};
