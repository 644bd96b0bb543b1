import { REQUEST_SIGNING_CREDENTIAL } from '../../transport/credentialTypes';
import type { OutgoingHttpRequest } from '../../transport/http';
import { isBase64Secret, signBody } from '../../transport/signing';
import { CommandInputError } from '../../commands/errors';
import type { CommandContext } from '../../commands/types';

/** The request with its body's signature in `signatureHeader`; as it is when not signed. */
export async function signedRequest(
	context: CommandContext,
	request: OutgoingHttpRequest,
	signatureHeader: string | null,
): Promise<OutgoingHttpRequest> {
	if (!signatureHeader) return request;
	let secret: string;
	try {
		const credentials = await context.functions.getCredentials<{ secret?: string }>(
			REQUEST_SIGNING_CREDENTIAL,
			context.itemIndex,
		);
		secret = String(credentials.secret ?? '');
	} catch (error) {
		return missingSigningCredential((error as Error).message);
	}
	if (!isBase64Secret(secret)) {
		throw new CommandInputError(
			'The Request Signing credential does not hold a base64 secret',
			'signRequest',
			'Paste the signing secret exactly as the agent platform shows it',
		);
	}
	const body = request.body ?? '';
	return {
		...request,
		headers: { ...request.headers, [signatureHeader]: signBody(secret, body) },
	};
}

function missingSigningCredential(reason: string): never {
	throw new CommandInputError(
		`Signing needs a Request Signing credential: ${reason}`,
		'signRequest',
		'Select a Request Signing credential on the Send HTTP Request node (Send Command cannot sign)',
	);
}
