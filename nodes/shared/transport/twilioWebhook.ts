import type { FunctionsBase } from 'n8n-workflow';

import { TWILIO_CREDENTIAL } from './credentialTypes';

type ValidateRequest = (authToken: string, signature: string, url: string, params: Record<string, unknown>) => boolean;
let validateRequest: ValidateRequest | undefined;

export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * The token Twilio signs webhooks with: the account's Auth Token, which an
 * API-key credential keeps in a field of its own. Undefined when missing.
 */
export async function twilioWebhookAuthToken(functions: FunctionsBase): Promise<string | undefined> {
	try {
		const credential = await functions.getCredentials<{ authType?: string; authToken?: string; webhookAuthToken?: string }>(TWILIO_CREDENTIAL);
		const token = credential.authType === 'apiKey' ? credential.webhookAuthToken : credential.authToken;
		return token ? token : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Checks `X-Twilio-Signature` with the `twilio` package (HMAC over the public
 * URL and the sorted form fields), loaded on first use only.
 */
export function isSignedByTwilio(authToken: string, signature: string | undefined, url: string, params: Record<string, unknown>): boolean {
	if (signature === undefined || signature === '') return false;
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	validateRequest ??= (require('twilio/lib/webhooks/webhooks') as { validateRequest: ValidateRequest }).validateRequest;
	return validateRequest(authToken, signature, url, params);
}
