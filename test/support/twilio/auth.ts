/** Basic auth as Twilio checks it: the account's auth token or one of its API keys, for this account only. */
import type { TwilioRequest, TwilioServerOptions } from './types';

/** Who the Basic auth says the caller is, set on the request; false when it does not open this account. */
export function authenticate(options: TwilioServerOptions, request: TwilioRequest): boolean {
	const header = request.headers.authorization;
	if (!header?.startsWith('Basic ')) return false;
	const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
	const separator = decoded.indexOf(':');
	const user = decoded.slice(0, separator);
	const password = decoded.slice(separator + 1);
	const { accountSid, authToken, apiKeys = [] } = options;
	let kind: 'authToken' | 'apiKey' | 'rejected' = 'rejected';
	if (separator >= 0 && user === accountSid && password === authToken) kind = 'authToken';
	else if (separator >= 0 && apiKeys.some((key) => key.sid === user && key.secret === password))
		kind = 'apiKey';
	// The credentials open one account: a path naming another one is refused like a wrong password.
	const pathAccount =
		request.pathParams.AccountSid ??
		(request.operationId === 'FetchAccount' ? request.pathParams.Sid : undefined);
	if (pathAccount !== undefined && pathAccount !== accountSid) kind = 'rejected';
	request.auth = { user, kind };
	return kind !== 'rejected';
}
