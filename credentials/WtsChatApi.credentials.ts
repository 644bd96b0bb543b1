import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class WtsChatApi implements ICredentialType {
	name = 'wtsChatApi';

	displayName = 'WTS Chat API';

	icon = { light: 'file:../icons/wtsChat.svg', dark: 'file:../icons/wtsChat.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-agent-connectors#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.wts.chat',
			description: 'Also served as https://api.helena.run. Change it only for a test server.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.token}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/auth/v1/login/validate',
			method: 'GET',
		},
	};
}
