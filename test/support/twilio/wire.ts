/** Wire helpers: SIDs, Twilio's dates, form and query values, error bodies. */
import { randomBytes } from 'node:crypto';

import type { WireValues } from '../openapi';
import type { TwilioReply } from './types';

export function twilioSid(prefix: string): string {
	return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** Twilio's date format: RFC 2822 with a numeric zone. */
export function rfc2822(date: Date | undefined): string | null {
	return date === undefined ? null : date.toUTCString().replace('GMT', '+0000');
}

export function wireValues(search: URLSearchParams): WireValues {
	const values: WireValues = {};
	for (const [key, value] of search) (values[key] ??= []).push(value);
	return values;
}

export function flatten(values: WireValues): Record<string, string | string[]> {
	return Object.fromEntries(
		Object.entries(values).map(([key, list]) => [key, list.length === 1 ? (list[0] ?? '') : list]),
	);
}

export function twilioError(status: number, code: number, message: string): TwilioReply {
	return {
		status,
		body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
	};
}

export const STANDARD_MESSAGES: Readonly<Record<number, string>> = {
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

export function notFound(path: string): TwilioReply {
	return twilioError(404, 20404, `The requested resource ${path} was not found`);
}

export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
