import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { isBase64Secret } from './signing';

/**
 * `methods.credentialTest.requestSigningSecretTest` of every node using the
 * Request Signing credential: no server can confirm a signing secret, so the
 * test checks that it is what the agent platform shows, non-empty base64.
 * The message never repeats the secret.
 */
export async function requestSigningSecretTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const secret = credential.data?.secret;
	if (typeof secret !== 'string' || !isBase64Secret(secret)) {
		return {
			status: 'Error',
			message:
				'The secret must be the base64 text the agent platform shows (letters, digits, + and /, padded with =)',
		};
	}
	return { status: 'OK', message: 'The secret is valid base64' };
}
