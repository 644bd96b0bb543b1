import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The shared secret of signed agent requests (Vocode style: base64
 * HMAC-SHA256 over the raw body). Nothing is sent with it, so it has no
 * `authenticate`: the nodes that sign or verify read it themselves, and its
 * test is a node's `requestSigningSecretTest`, since there is no server to ask.
 */
export class RequestSigningApi implements ICredentialType {
	name = 'requestSigningApi';

	displayName = 'Request Signing API';

	icon = { light: 'file:../icons/signing.svg', dark: 'file:../icons/signing.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-agent-connectors#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				"The base64 signing secret shown by the agent platform, e.g. a Vocode External Action's signature secret",
		},
	];
}
