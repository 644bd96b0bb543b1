import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * Twilio credentials for this package's nodes. A separate type from n8n's own
 * `twilioApi` because it carries a Base URL: Twilio-compatible providers and
 * local test servers are reached through it, for every Twilio domain alike.
 */
export class AgentTwilioApi implements ICredentialType {
	name = 'agentTwilioApi';

	displayName = 'Agent Connectors Twilio API';

	icon = { light: 'file:../icons/twilio.svg', dark: 'file:../icons/twilio.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-agent-connectors#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Account SID',
			name: 'accountSid',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'AC…',
		},
		{
			displayName: 'Authenticate With',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'Auth Token', value: 'authToken' },
				{ name: 'API Key', value: 'apiKey' },
			],
			default: 'authToken',
		},
		{
			displayName: 'Auth Token',
			name: 'authToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['authToken'] } },
		},
		{
			displayName: 'API Key SID',
			name: 'apiKeySid',
			type: 'string',
			default: '',
			placeholder: 'SK…',
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'API Key Secret',
			name: 'apiKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'Auth Token (for Webhook Signatures)',
			name: 'webhookAuthToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				"Twilio signs the webhooks it sends (SMS Trigger) with the account's Auth Token, whatever key the API calls use. Needed only by triggers.",
			displayOptions: { show: { authType: ['apiKey'] } },
		},
		{
			displayName: 'Default From',
			name: 'defaultFrom',
			type: 'string',
			default: '',
			placeholder: 'e.g. +16505550100 or MG…',
			description:
				'The sender of messages that name neither From nor a Messaging Service SID: a Twilio number (E.164), short code, sender ID or channel address of the account, or a Messaging Service SID (MG…)',
		},
		{
			displayName: 'Default Caller ID',
			name: 'defaultCallerId',
			type: 'string',
			default: '',
			placeholder: 'e.g. +16505550100',
			description:
				'The caller ID of calls that name none: a Twilio number of the account or a verified caller ID (E.164)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.twilio.com',
			description:
				'Replaces scheme and host of every Twilio domain (api, conversations, taskrouter, messaging, content). Change it only for a Twilio-compatible provider or a test server.',
		},
	];

	/**
	 * Basic auth with the account or the API key. A function rather than
	 * expressions: n8n evaluates a generic block's expressions in its sandbox
	 * on every request, which was the largest CPU cost of sending many messages.
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		request: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const apiKey = credentials.authType === 'apiKey';
		const username = String((apiKey ? credentials.apiKeySid : credentials.accountSid) ?? '');
		const password = String((apiKey ? credentials.apiKeySecret : credentials.authToken) ?? '');
		return { ...request, auth: { username, password } };
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '=/2010-04-01/Accounts/{{$credentials.accountSid}}.json',
			method: 'GET',
		},
	};
}
