import type {
	ICredentialTestFunctions,
	ICredentialsDecrypted,
	INodeCredentialTestResult,
} from 'n8n-workflow';

/**
 * `methods.credentialTest.httpAuthCredentialTest`: the HTTP Auth credential
 * names no server to ask, so the test checks that the chosen type has what
 * it needs. Messages never repeat a value.
 */
export async function httpAuthCredentialTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const filled = (field: string) =>
		typeof data[field] === 'string' && (data[field] as string).trim() !== '';
	const needs: Record<string, string[]> = {
		basic: ['user'],
		bearer: ['secret'],
		header: ['name', 'secret'],
		query: ['name', 'secret'],
	};
	const missing = (needs[String(data.kind)] ?? ['kind']).filter((field) => !filled(field));
	if (missing.length > 0) return { status: 'Error', message: `Fill in: ${missing.join(', ')}` };
	return { status: 'OK', message: 'The credential is complete' };
}
