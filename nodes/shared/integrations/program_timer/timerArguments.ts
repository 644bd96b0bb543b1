import type { INodeProperties } from 'n8n-workflow';

import { jsonArgument, optionalPositiveNumber, optionalString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments } from '../../commands/types';
import type { JsonObject } from '../../store/types';

/** Seconds per interval unit; seconds is the seed's unit and the default. */
const SECONDS_PER_UNIT = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 } as const;

type IntervalUnit = keyof typeof SECONDS_PER_UNIT;

const UNITS = Object.keys(SECONDS_PER_UNIT) as IntervalUnit[];

export const intervalUnitProperty: INodeProperties = {
	displayName: 'Interval Unit',
	name: 'intervalUnit',
	type: 'options',
	options: [
		{ name: 'Days', value: 'days' },
		{ name: 'Hours', value: 'hours' },
		{ name: 'Minutes', value: 'minutes' },
		{ name: 'Seconds', value: 'seconds' },
	],
	default: 'seconds',
	description: 'The unit of Interval',
};

export const timerDataProperty: INodeProperties = {
	displayName: 'Data',
	name: 'data',
	type: 'json',
	default: '{}',
	description:
		'A JSON object the timer keeps and the Timer Trigger outputs with every fire, e.g. {"orderId": 42}',
};

/**
 * The interval in seconds: `interval` counted in `intervalUnit` (seconds when
 * not given, as the seed's interval is). undefined when there is none; a
 * typed node's number field sends 0 for "not used".
 */
export function intervalSeconds(args: CommandArguments): number | undefined {
	const interval = args.interval === 0 ? undefined : optionalPositiveNumber(args, 'interval');
	const unitText = optionalString(args, 'intervalUnit')?.toLowerCase() ?? 'seconds';
	if (!UNITS.includes(unitText as IntervalUnit)) {
		throw new ArgumentError(
			'intervalUnit',
			`must be one of ${UNITS.join(', ')}, got "${unitText}"`,
		);
	}
	return interval === undefined ? undefined : interval * SECONDS_PER_UNIT[unitText as IntervalUnit];
}

/**
 * The timer's data: a JSON object, or a JSON string of one (Send Command's
 * strings). undefined when not given; an empty object counts as not given,
 * since the typed node's field always sends one.
 */
export function timerData(args: CommandArguments): JsonObject | undefined {
	const data = jsonArgument(args, 'data');
	if (data === undefined) return undefined;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new ArgumentError('data', 'must be a JSON object', 'For example {"orderId": 42}');
	}
	return Object.keys(data).length === 0 ? undefined : data;
}
