/**
 * Stands in for n8n's authenticated request helper the way n8n behaves for
 * this package's credentials: Basic (Account SID and Auth Token) or Bearer
 * auth from the credential, a full response whatever the status. The real
 * helper is exercised by the e2e tests.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

export function fakeRequestHelper(credentials: Record<string, string>) {
	return async (_type: string, options: IHttpRequestOptions) => {
		const url = new URL(options.url);
		for (const [key, value] of Object.entries(options.qs ?? {}))
			url.searchParams.set(key, String(value));
		const headers = new Headers(options.headers as Record<string, string>);
		if (credentials.authToken)
			headers.set(
				'authorization',
				`Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`,
			);
		if (credentials.token) headers.set('authorization', `Bearer ${credentials.token}`);
		let body: string | undefined;
		if (typeof options.body === 'string') body = options.body;
		else if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers.set('content-type', 'application/json');
		}
		const response = await fetch(url, { method: options.method, headers, body });
		const text = await response.text();
		return {
			statusCode: response.status,
			headers: Object.fromEntries(response.headers.entries()),
			body: text ? JSON.parse(text) : {},
		};
	};
}
