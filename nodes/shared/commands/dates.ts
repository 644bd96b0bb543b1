import { DateTime } from 'luxon';

import { ArgumentError } from './errors';

/**
 * The seed's format: YYYY-MM-DD[T]HH:MM[:SS[.ffffff]] with an optional `Z`
 * or `±HH[:]MM`. Checked here first because luxon's ISO parser accepts far
 * more (week dates, ordinal dates, date-only …) than the seed allows.
 */
const FIRE_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

export const FIRE_AT_FORMAT = 'YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH[:]MM]';

/**
 * Parses `fireAt` to epoch milliseconds. Without an offset the time is read
 * in `timezone` (the workflow's), as the node's hint says. `field` names the
 * argument in errors (other commands take dates in the same format).
 */
export function parseFireAt(value: string, timezone: string, field = 'fireAt'): number {
	const text = value.trim();
	if (!FIRE_AT.test(text)) {
		throw new ArgumentError(
			field,
			`"${value}" is not in the format ${FIRE_AT_FORMAT}`,
			'For example 2024-02-20T22:17 or 2024-02-20T22:17:00+01:00',
		);
	}
	const parsed = DateTime.fromISO(text, { zone: timezone, setZone: true });
	if (!parsed.isValid) {
		throw new ArgumentError(
			field,
			`"${value}" is not a real date and time (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`,
		);
	}
	return parsed.toMillis();
}

/** An instant as ISO 8601 with the offset of `timezone`, e.g. 2024-02-20T22:17:00.000+01:00. */
export function toZonedIso(epochMs: number | null, timezone: string): string | null {
	return epochMs === null ? null : DateTime.fromMillis(epochMs, { zone: timezone }).toISO();
}
