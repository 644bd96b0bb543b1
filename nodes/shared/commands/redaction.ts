import type { JsonObject, JsonValue } from '../store/types';

/**
 * What counts as a secret, decided in one place: argument and request-header
 * values that are never stored in an act, and response headers never output.
 */

/** What stands in for a secret's value in a recorded act. */
export const REDACTED = '[redacted]';

/** Argument and header names whose values are never stored in an act. */
const SECRET_NAME = /secret|password|passwd|token|api[-_]?key|authorization|credential/i;

/** A request's cookies and signatures are as good as a credential to whoever reads the act. */
const SECRET_REQUEST_HEADER = /cookie|signature/i;

/** Response headers that hand out a session: dropped from outputs and results altogether. */
const SESSION_RESPONSE_HEADERS = new Set(['set-cookie']);

export function isSecretName(name: string): boolean {
	return SECRET_NAME.test(name);
}

export function isSecretRequestHeader(name: string): boolean {
	return isSecretName(name) || SECRET_REQUEST_HEADER.test(name);
}

export function isSessionResponseHeader(name: string): boolean {
	return SESSION_RESPONSE_HEADERS.has(name.toLowerCase());
}

function redactNamed(
	values: Record<string, JsonValue>,
	isSecret: (name: string) => boolean,
): JsonObject {
	const copy: JsonObject = {};
	for (const [name, value] of Object.entries(values))
		copy[name] = isSecret(name) ? REDACTED : value;
	return copy;
}

/** Arguments as an act records them by default: secret-looking names redacted. */
export function redactSecrets(args: JsonObject): JsonObject {
	return redactNamed(args, isSecretName);
}

/** Request headers as an act records them. */
export function redactRequestHeaders(headers: Record<string, string>): JsonObject {
	return redactNamed(headers, isSecretRequestHeader);
}
