import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { TWILIO_CREDENTIAL } from './credentialTypes';
import { authenticatedRequest, type RequestFunctions } from './authenticatedRequest';
import { THROTTLE_RETRY, type RetryPolicy } from './retry';

export const TWILIO_DEFAULT_BASE_URL = 'https://api.twilio.com';

/** The Twilio domains this package talks to. */
export type TwilioService =
	'api' | 'conversations' | 'taskrouter' | 'mcs' | 'messaging' | 'content';

export type TwilioFormValue = string | number | boolean | string[] | undefined;

/** The root of the credential's account in Twilio's REST API; the client fills in `{AccountSid}`. */
const ACCOUNT_ROOT = '/2010-04-01/Accounts/{AccountSid}';

/** A path of the account's API, from the part below the account, e.g. `accountPath('/Calls.json')`. */
export function accountPath(pathBelowAccount: string): string {
	return `${ACCOUNT_ROOT}${pathBelowAccount}`;
}

/**
 * Where a service lives: Twilio's own host per service, or, when the
 * credential names another Base URL (a compatible provider, a test server),
 * that one for every service alike.
 */
export function twilioServiceUrl(baseUrl: string | undefined, service: TwilioService): string {
	const base = (baseUrl ?? '').trim().replace(/\/+$/, '') || TWILIO_DEFAULT_BASE_URL;
	if (base === TWILIO_DEFAULT_BASE_URL && service !== 'api') return `https://${service}.twilio.com`;
	return base;
}

/** Twilio's form encoding: PascalCase keys as given, arrays as repeated keys, nothing for undefined. */
export function toTwilioForm(fields: Record<string, TwilioFormValue>): string {
	const form = new URLSearchParams();
	for (const [name, value] of Object.entries(fields)) {
		if (value === undefined) continue;
		for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
	}
	return form.toString();
}

export interface TwilioRequest {
	method: IHttpRequestMethods;
	service?: TwilioService;
	/** Path below the service root, e.g. `accountPath('/Calls.json')`; `{AccountSid}` is filled in. */
	path: string;
	form?: Record<string, TwilioFormValue>;
	/** A body of its own (a file to upload) instead of a form. */
	upload?: { data: Buffer; contentType: string };
	query?: IDataObject;
	headers?: Record<string, string>;
	/** Awaited before each attempt, retries too: a sending pace (twilio_messenger/sendingRate.ts). */
	beforeEachAttempt?: () => Promise<void>;
}

export interface TwilioClient {
	accountSid: string;
	request<T = JsonObject>(request: TwilioRequest): Promise<T>;
}

interface TwilioErrorBody {
	code?: number;
	message?: string;
	more_info?: string;
	status?: number;
}

function twilioError(
	functions: RequestFunctions,
	itemIndex: number,
	response: IN8nHttpFullResponse,
): NodeApiError {
	const body = (
		typeof response.body === 'object' && response.body !== null ? response.body : {}
	) as TwilioErrorBody;
	const code = body.code !== undefined ? ` (Twilio error ${body.code})` : '';
	return new NodeApiError(functions.getNode(), body as JsonObject, {
		itemIndex,
		httpCode: String(response.statusCode),
		message: `${body.message ?? `Twilio answered ${response.statusCode}`}${code}`,
		description: body.more_info,
	});
}

interface TwilioAccount {
	accountSid: string;
	baseUrl?: string;
	defaultFrom?: string;
	defaultCallerId?: string;
}

/** What the credential gives commands that leave them out: a sender for messages, a caller ID for calls. */
export interface TwilioDefaults {
	defaultFrom?: string;
	defaultCallerId?: string;
}

/**
 * A node's credential is the same for all its items, and each read of it is
 * a database query and a decryption in n8n: with many items that was a
 * large part of the node's own time. So it is read once per run of a node
 * (its execute functions) and shared by the items, and handed to n8n's
 * authenticated request helper, which would otherwise read it again per
 * request.
 */
const accounts = new WeakMap<RequestFunctions, Promise<ICredentialDataDecryptedObject>>();

async function credentialData(
	functions: RequestFunctions,
	itemIndex: number,
): Promise<ICredentialDataDecryptedObject> {
	let data = accounts.get(functions);
	if (data === undefined) {
		data = functions.getCredentials(TWILIO_CREDENTIAL, itemIndex);
		accounts.set(functions, data);
	}
	return await data;
}

const optionalText = (value: unknown) => (typeof value === 'string' ? value : undefined);

async function twilioAccount(
	functions: RequestFunctions,
	itemIndex: number,
): Promise<TwilioAccount> {
	const data = await credentialData(functions, itemIndex);
	return {
		accountSid: String(data.accountSid ?? ''),
		baseUrl: optionalText(data.baseUrl),
		defaultFrom: optionalText(data.defaultFrom),
		defaultCallerId: optionalText(data.defaultCallerId),
	};
}

/** The credential's defaults, trimmed; undefined where a field is empty. */
export async function twilioDefaults(
	functions: RequestFunctions,
	itemIndex: number,
): Promise<TwilioDefaults> {
	const { defaultFrom, defaultCallerId } = await twilioAccount(functions, itemIndex);
	const given = (value: string | undefined) => value?.trim() || undefined;
	return { defaultFrom: given(defaultFrom), defaultCallerId: given(defaultCallerId) };
}

/**
 * A Twilio client for one item of a running node: authenticated by n8n from
 * the `Agent Connectors Twilio API` credential (n8n applies its auth; this
 * code never puts a secret in a request, an output or a log), aimed at the
 * credential's Base URL.
 * Failures become n8n API errors carrying Twilio's code, message and link.
 */
export async function createTwilioClient(
	functions: RequestFunctions,
	itemIndex: number,
	retryPolicy: RetryPolicy = THROTTLE_RETRY,
): Promise<TwilioClient> {
	const credentials = await twilioAccount(functions, itemIndex);
	const data = await credentialData(functions, itemIndex);
	const accountSid = credentials.accountSid;

	return {
		accountSid,
		async request<T>(request: TwilioRequest): Promise<T> {
			const path = request.path.replace('{AccountSid}', encodeURIComponent(accountSid));
			return await authenticatedRequest<T>(
				functions,
				itemIndex,
				TWILIO_CREDENTIAL,
				{
					method: request.method,
					url: `${twilioServiceUrl(credentials.baseUrl, request.service ?? 'api')}${path}`,
					qs: request.query,
					headers: {
						...request.headers,
						...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
						...(request.upload ? { 'content-type': request.upload.contentType } : {}),
					},
					body: request.form ? toTwilioForm(request.form) : request.upload?.data,
				},
				(response) => twilioError(functions, itemIndex, response),
				retryPolicy,
				request.beforeEachAttempt,
				data,
			);
		},
	};
}
