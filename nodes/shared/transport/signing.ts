import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Vocode signs its requests in; both signing and verifying nodes default to it. */
export const DEFAULT_SIGNATURE_HEADER = 'x-vocode-signature';

/**
 * Vocode-style request signatures: base64 HMAC-SHA256 over the exact body
 * bytes, keyed with the base64-decoded secret. Always over the raw bytes:
 * re-serialising parsed JSON does not reproduce what the sender signed.
 */
export function signBody(secretBase64: string, body: Buffer | string): string {
	return createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(body).digest('base64');
}

export function verifySignature(
	secretBase64: string,
	body: Buffer | string,
	signature: string | undefined,
): boolean {
	if (!signature) return false;
	const expected = Buffer.from(signBody(secretBase64, body), 'base64');
	const given = Buffer.from(signature, 'base64');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A secret is usable when it is non-empty base64 (what the agent platform shows). */
export function isBase64Secret(secret: string): boolean {
	const trimmed = secret.trim();
	return trimmed.length > 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && trimmed.length % 4 === 0;
}
