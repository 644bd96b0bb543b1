import type { IHttpRequestMethods } from 'n8n-workflow';

import type { Act, JsonObject, JsonValue } from '../../store/types';
import { REQUEST_SIGNING_CREDENTIAL } from '../../transport/credentialTypes';
import {
	sendHttpRequest,
	type HttpAuthentication,
	type OutgoingHttpRequest,
} from '../../transport/http';
import { DEFAULT_SIGNATURE_HEADER, isBase64Secret, signBody } from '../../transport/signing';
import {
	compileInputSchema,
	InputSchemaError,
	type InputSchema,
} from '../../validation/inputSchema';
import {
	isBlank,
	jsonArgument,
	optionalBoolean,
	optionalHttpUrl,
	optionalPositiveNumber,
	optionalString,
	requiredString,
} from '../arguments';
import { ArgumentError, CommandInputError } from '../errors';
import type { CommandArguments, CommandContext, CommandDefinition, CommandOutcome } from '../types';
import { sendRequestProperties } from './sendRequestProperties';
import { chosenArgument, passThroughArgument, stringMapArgument } from './requestArguments';
import {
	actStatusOf,
	INTERRUPTED_AFTER_TIMEOUT_MS,
	resultPayload,
	routingOf,
	settleRequest,
	type InFlightResult,
	type ResponseFormat,
	type ResultRouting,
} from './result';

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
type Method = (typeof METHODS)[number];

export const DEFAULT_TIMEOUT_SECONDS = 10;
const MAX_TIMEOUT_SECONDS = 3600;

/** The generic credential of this package (n8n's lint forbids using other packages' credentials). */
export const GENERIC_AUTH_TYPE = 'httpAuthApi';
/** This package's service credentials, which add their service's authentication. */
export const PREDEFINED_AUTH_TYPES = ['agentTwilioApi', 'wtsChatApi'] as const;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Request header names whose values are never recorded in the act. */
const SECRET_HEADER = /authorization|cookie|token|secret|api[-_]?key|signature|password/i;

export type RequestMode = 'sync' | 'async';

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

function readMethod(args: CommandArguments): Method {
	const method = requiredString(args, 'method').toUpperCase();
	if (!(METHODS as readonly string[]).includes(method)) {
		throw new ArgumentError('method', `must be one of ${METHODS.join(', ')}, got "${method}"`);
	}
	return method as Method;
}

function readUrl(args: CommandArguments): string {
	requiredString(args, 'url', 'The full URL, e.g. https://api.example.com/endpoint');
	return optionalHttpUrl(args, 'url') as string;
}

function readHeaders(args: CommandArguments): Record<string, string> {
	const name = chosenArgument(args, 'headers', 'headersJson', 'specifyHeaders');
	const headers = stringMapArgument(args, name);
	for (const [header, value] of Object.entries(headers)) {
		if (!HEADER_NAME.test(header))
			throw new ArgumentError(name, `has an invalid header name "${header}"`);
		if (/[\r\n]/.test(value))
			throw new ArgumentError(name, `has a line break in the value of header "${header}"`);
	}
	return headers;
}

type BodyType = 'none' | 'json' | 'form';

function readBodyType(args: CommandArguments): BodyType {
	const given = optionalString(args, 'bodyType');
	if (given === 'none' || given === 'json' || given === 'form') return given;
	if (given !== undefined)
		throw new ArgumentError('bodyType', `must be none, json or form, got "${given}"`);
	// Send Command: the seed's arguments say which body there is.
	if (!isBlank(args.body) && !isBlank(args.data)) {
		throw new ArgumentError(
			'data',
			'cannot be sent together with body',
			'Send either a JSON body or form data',
		);
	}
	if (!isBlank(args.body)) return 'json';
	return isBlank(args.data) ? 'none' : 'form';
}

interface BodyInput {
	/** The exact bytes to send. */
	text: string;
	contentType: string;
	/** What the act records and the input schema checks. */
	value: JsonValue;
}

function readBody(args: CommandArguments, method: Method): BodyInput | undefined {
	const bodyType = readBodyType(args);
	if (bodyType === 'none') return undefined;
	const field = bodyType === 'json' ? 'body' : 'data';
	if (method === 'GET')
		throw new ArgumentError(
			field,
			'cannot be sent with GET',
			'Use POST, PUT, PATCH or DELETE, or send the values as parameters',
		);
	if (bodyType === 'form') {
		const fields = stringMapArgument(args, 'data');
		return {
			text: new URLSearchParams(fields).toString(),
			contentType: 'application/x-www-form-urlencoded',
			value: fields,
		};
	}
	const value = jsonArgument(args, 'body');
	if (value === undefined) return undefined;
	// A JSON string is sent exactly as written: its bytes are what a signature covers.
	const text = typeof args.body === 'string' ? args.body : JSON.stringify(value);
	return { text, contentType: 'application/json', value };
}

function readAuthentication(args: CommandArguments): HttpAuthentication {
	const kind = optionalString(args, 'authentication') ?? 'none';
	if (kind === 'none') return { kind: 'none' };
	if (kind === 'genericCredentialType')
		return { kind: 'credential', credentialType: GENERIC_AUTH_TYPE };
	if (kind !== 'predefinedCredentialType') {
		throw new ArgumentError(
			'authentication',
			`must be none, predefinedCredentialType or genericCredentialType, got "${kind}"`,
		);
	}
	const credentialType = requiredString(
		args,
		'nodeCredentialType',
		`One of: ${PREDEFINED_AUTH_TYPES.join(', ')}`,
	);
	if (!(PREDEFINED_AUTH_TYPES as readonly string[]).includes(credentialType)) {
		throw new ArgumentError(
			'nodeCredentialType',
			`must be one of ${PREDEFINED_AUTH_TYPES.join(', ')}, got "${credentialType}"`,
		);
	}
	return { kind: 'credential', credentialType };
}

function readMode(args: CommandArguments): RequestMode {
	// The seed's send_request always answers with an event: without a mode, the request runs in the background.
	const mode = optionalString(args, 'mode') ?? 'async';
	if (mode !== 'sync' && mode !== 'async')
		throw new ArgumentError('mode', `must be "sync" or "async", got "${mode}"`);
	return mode;
}

function readFormat(args: CommandArguments): ResponseFormat {
	const format = optionalString(args, 'responseFormat') ?? 'raw';
	if (format !== 'raw' && format !== 'agentAction')
		throw new ArgumentError('responseFormat', `must be "raw" or "agentAction", got "${format}"`);
	return format;
}

function checkInputSchema(args: CommandArguments, body: BodyInput | undefined): void {
	if (isBlank(args.input_schema)) return;
	const schema = compileOrFail(args.input_schema);
	if (!body || body.contentType !== 'application/json') {
		throw new ArgumentError(
			'input_schema',
			'needs a JSON body to check',
			'Send the payload as the JSON body',
		);
	}
	const problems = schema.problems(body.value);
	if (problems.length > 0) {
		throw new ArgumentError(
			'body',
			`does not match the input schema: ${problems.join('; ')}`,
			'Change the body or the input schema so they agree',
		);
	}
}

function compileOrFail(schema: JsonValue | undefined): InputSchema {
	try {
		return compileInputSchema(schema);
	} catch (error) {
		return failSchema(error instanceof InputSchemaError ? error.message : String(error));
	}
}

function failSchema(message: string): never {
	throw new ArgumentError('input_schema', message.replace(/^Input schema /, 'is unusable: '));
}

function redactHeaders(headers: Record<string, string>): JsonObject {
	const kept: JsonObject = {};
	for (const [name, value] of Object.entries(headers))
		kept[name] = SECRET_HEADER.test(name) ? '[redacted]' : value;
	return kept;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
	const wanted = name.toLowerCase();
	return Object.keys(headers).some((header) => header.toLowerCase() === wanted);
}

async function signedRequest(
	context: CommandContext,
	input: SendRequestInput,
): Promise<OutgoingHttpRequest> {
	if (!input.signatureHeader) return input.request;
	let secret: string;
	try {
		const credentials = await context.functions.getCredentials<{ secret?: string }>(
			REQUEST_SIGNING_CREDENTIAL,
			context.itemIndex,
		);
		secret = String(credentials.secret ?? '');
	} catch (error) {
		return missingSigningCredential((error as Error).message);
	}
	if (!isBase64Secret(secret)) {
		throw new CommandInputError(
			'The Request Signing credential does not hold a base64 secret',
			'signRequest',
			'Paste the signing secret exactly as the agent platform shows it',
		);
	}
	const body = input.request.body ?? '';
	return {
		...input.request,
		headers: { ...input.request.headers, [input.signatureHeader]: signBody(secret, body) },
	};
}

function missingSigningCredential(reason: string): never {
	throw new CommandInputError(
		`Signing needs a Request Signing credential: ${reason}`,
		'signRequest',
		'Select a Request Signing credential on the Send HTTP Request node (Send Command cannot sign)',
	);
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
	arguments: [
		{
			name: 'method',
			type: 'string',
			required: true,
			description: 'GET, POST, PUT, DELETE or PATCH',
		},
		{ name: 'url', type: 'string', required: true, description: 'Full URL of the request' },
		{
			name: 'headers',
			type: 'json',
			required: false,
			description: 'HTTP headers as a JSON object',
		},
		{
			name: 'body',
			type: 'json',
			required: false,
			description: 'Request body for POST / PUT / PATCH, JSON',
		},
		{
			name: 'data',
			type: 'json',
			required: false,
			description: 'Form fields, sent as application/x-www-form-urlencoded',
		},
		{
			name: 'parameters',
			type: 'json',
			required: false,
			description: 'Query parameters as a JSON object',
		},
		{
			name: 'targetAction',
			type: 'string',
			required: false,
			description: 'Identifier the result handlers filter on',
		},
		{
			name: 'runSkill',
			type: 'string',
			required: false,
			description: 'Name of a skill to run on the result',
		},
		{ name: 'params', type: 'json', required: false, description: 'Passed through to the result' },
		{
			name: 'request_parameters',
			type: 'json',
			required: false,
			description: 'Passed through to the result',
		},
		{
			name: 'userPersonaId',
			type: 'string',
			required: false,
			description: 'The persona the request is for',
		},
		{
			name: 'mode',
			type: 'string',
			required: false,
			description:
				'async (default: the result arrives as an event) or sync (the result is the output)',
		},
		{
			name: 'timeout',
			type: 'number',
			required: false,
			description: `Seconds to wait for the response (default ${DEFAULT_TIMEOUT_SECONDS})`,
		},
		{
			name: 'input_schema',
			type: 'json',
			required: false,
			description: 'JSON Schema (an object) the body must match',
		},
		{
			name: 'responseFormat',
			type: 'string',
			required: false,
			description: 'raw, or agentAction to read {result, agent_message}',
		},
	],
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
			headers: redactHeaders(headers),
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
		const request = await signedRequest(context, input);
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
