import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { RetryLaterError, retryAfterSeconds, retryWhenThrottled, type RetryPolicy } from './retry';

/** What a request needs from n8n: a node running (execute), filling a picker (load options) or setting up its webhook (hook). */
export type RequestFunctions = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

/** Builds the API error for a failed answer in the service's own terms. */
export type ServiceErrorMapper = (response: IN8nHttpFullResponse) => NodeApiError;

/**
 * One request through n8n's authenticated HTTP helper (n8n adds the
 * credential's auth; the secrets never pass through this package's code).
 * 429 is sent again with backoff; any other status of 400 or more, and a 429
 * that outlasts the retries, becomes the service's API error.
 * `beforeEachAttempt` is awaited before the first attempt and every retry
 * (a sending pace counts each request the service sees). `credentials`, the
 * run's credential as n8n already gave it, spares n8n a database read and a
 * decryption of it per request; n8n still applies the credential's auth.
 */
export async function authenticatedRequest<T>(
	functions: RequestFunctions,
	itemIndex: number,
	credentialType: string,
	options: IHttpRequestOptions,
	toServiceError: ServiceErrorMapper,
	retryPolicy: RetryPolicy,
	beforeEachAttempt?: () => Promise<void>,
	credentials?: ICredentialDataDecryptedObject,
): Promise<T> {
	const sendOnce = async (): Promise<IN8nHttpFullResponse> => {
		await beforeEachAttempt?.();
		const response = (await functions.helpers.httpRequestWithAuthentication.call(
			functions,
			credentialType,
			{
				...options,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			// A copy per request: n8n may add a refreshed token to the data it is given.
			credentials && {
				credentialsDecrypted: { id: '', name: '', type: credentialType, data: { ...credentials } },
			},
		)) as IN8nHttpFullResponse;
		if (response.statusCode === 429)
			throw new RetryLaterError(429, retryAfterSeconds(response.headers), response.body);
		return response;
	};

	let response: IN8nHttpFullResponse;
	try {
		response = await retryWhenThrottled(sendOnce, retryPolicy);
	} catch (error) {
		if (error instanceof RetryLaterError) {
			throw toServiceError({ statusCode: 429, headers: {}, body: error.response as JsonObject });
		}
		throw new NodeApiError(functions.getNode(), error as JsonObject, { itemIndex });
	}
	if (response.statusCode >= 400) throw toServiceError(response);
	return response.body as T;
}
