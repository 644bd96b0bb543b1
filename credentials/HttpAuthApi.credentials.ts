import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

type HttpAuthKind = 'basic' | 'bearer' | 'header' | 'query';

/**
 * Generic authentication for Send HTTP Request: Basic, Bearer, a header or a
 * query parameter. n8n's community lint forbids a package's nodes to use
 * other packages' credentials (n8n's own httpBasicAuth, httpHeaderAuth …),
 * so this one credential type covers what those do.
 */
export class HttpAuthApi implements ICredentialType {
	name = 'httpAuthApi';

	displayName = 'HTTP Auth API';

	icon = {
		light: 'file:../icons/httpRequest.svg',
		dark: 'file:../icons/httpRequest.dark.svg',
	} as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-agent-connectors#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Type',
			name: 'kind',
			type: 'options',
			options: [
				{ name: 'Basic Auth', value: 'basic' },
				{ name: 'Bearer Token', value: 'bearer' },
				{ name: 'Header', value: 'header' },
				{ name: 'Query Parameter', value: 'query' },
			],
			default: 'header',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			displayOptions: { show: { kind: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { kind: ['basic'] } },
		},
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'e.g. X-API-Key',
			description: 'The header or query parameter that carries the value',
			displayOptions: { show: { kind: ['header', 'query'] } },
		},
		{
			displayName: 'Value',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { kind: ['header', 'query', 'bearer'] } },
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const kind = credentials.kind as HttpAuthKind;
		const value = String(credentials.secret ?? '');
		switch (kind) {
			case 'basic':
				return {
					...request,
					auth: {
						username: String(credentials.user ?? ''),
						password: String(credentials.password ?? ''),
					},
				};
			case 'bearer':
				return { ...request, headers: { ...request.headers, Authorization: `Bearer ${value}` } };
			case 'query':
				return { ...request, qs: { ...request.qs, [String(credentials.name)]: value } };
			default:
				return { ...request, headers: { ...request.headers, [String(credentials.name)]: value } };
		}
	}
}
