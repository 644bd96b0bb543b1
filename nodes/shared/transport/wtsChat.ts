import type {
	IDataObject,
	IHttpRequestMethods,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { WTS_CHAT_CREDENTIAL } from './credentialTypes';
import { authenticatedRequest, type RequestFunctions } from './authenticatedRequest';
import { THROTTLE_RETRY, type RetryPolicy } from './retry';

export const WTS_CHAT_DEFAULT_BASE_URL = 'https://api.wts.chat';

export interface WtsChatRequest {
	method: IHttpRequestMethods;
	/** e.g. `/chat/v1/chatbot/send` */
	path: string;
	body?: IDataObject;
	query?: IDataObject;
}

export interface WtsChatClient {
	request<T = JsonObject>(request: WtsChatRequest): Promise<T>;
}

function wtsError(
	functions: RequestFunctions,
	itemIndex: number,
	response: IN8nHttpFullResponse,
): NodeApiError {
	const body = (
		typeof response.body === 'object' && response.body !== null ? response.body : {}
	) as JsonObject;
	const text =
		typeof body.message === 'string'
			? body.message
			: typeof body.text === 'string'
				? body.text
				: '';
	const hint =
		response.statusCode === 401
			? 'Check the API token of the WTS Chat API credential'
			: response.statusCode === 429
				? 'WTS Chat allows about 1000 requests per 5 minutes; retries did not get through'
				: /templat|modelo/i.test(text)
					? "WhatsApp starts a conversation only with an approved message template: make the chatbot's first message a template, or send it into an open conversation (Session ID)"
					: undefined;
	return new NodeApiError(functions.getNode(), body, {
		itemIndex,
		httpCode: String(response.statusCode),
		message: text
			? `WTS Chat answered ${response.statusCode}: ${text}`
			: `WTS Chat answered ${response.statusCode}`,
		description: hint,
	});
}

/**
 * A WTS Chat client for one item of a running node, authenticated by n8n
 * from the `WTS Chat API` credential and aimed at its Base URL.
 */
export async function createWtsChatClient(
	functions: RequestFunctions,
	itemIndex: number,
	retryPolicy: RetryPolicy = THROTTLE_RETRY,
): Promise<WtsChatClient> {
	const credentials = await functions.getCredentials<{ baseUrl?: string }>(
		WTS_CHAT_CREDENTIAL,
		itemIndex,
	);
	const baseUrl =
		(credentials.baseUrl ?? '').trim().replace(/\/+$/, '') || WTS_CHAT_DEFAULT_BASE_URL;

	return {
		async request<T>(request: WtsChatRequest): Promise<T> {
			return await authenticatedRequest<T>(
				functions,
				itemIndex,
				WTS_CHAT_CREDENTIAL,
				{
					method: request.method,
					url: `${baseUrl}${request.path}`,
					qs: request.query,
					body: request.body,
				},
				(response) => wtsError(functions, itemIndex, response),
				retryPolicy,
			);
		},
	};
}
