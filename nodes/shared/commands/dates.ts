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
	// luxon reads 24:00 as the next day's 00:00; a time of day ends at 23:59, so which day is meant stays clear.
	if (text.slice(11, 13) === '24') {
		throw new ArgumentError(
			field,
			`"${value}" has the hour 24, which is not a time of day`,
			'Write 00:00 of the next day, or 23:59',
		);
	}
	const parsed = DateTime.fromISO(text, { zone: timezone, setZone: true });
	if (!parsed.isValid) {
		throw new ArgumentError(
			field,
			`"${value}" is not a real date and time (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'})`,
		);
	}
	// luxon moves a wall-clock time the zone skips (clocks put forward) to a later one without a word.
	if (parsed.toFormat("yyyy-MM-dd'T'HH:mm") !== text.slice(0, 16)) {
		throw new ArgumentError(
			field,
			`"${value}" does not exist in the timezone ${timezone}: the clocks skip it (daylight saving time)`,
			'Give a time outside the skipped hour, or add an offset such as +01:00',
		);
	}
	return parsed.toMillis();
}

/** An instant as ISO 8601 with the offset of `timezone`, e.g. 2024-02-20T22:17:00.000+01:00. */
export function toZonedIso(epochMs: number | null, timezone: string): string | null {
	return epochMs === null ? null : DateTime.fromMillis(epochMs, { zone: timezone }).toISO();
}
