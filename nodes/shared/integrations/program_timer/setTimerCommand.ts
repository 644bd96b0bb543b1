import type { INodeProperties } from 'n8n-workflow';

import type { JsonObject, PutTimerInput } from '../../store/types';
import { optionalBoolean, optionalString, requiredString } from '../../commands/arguments';
import { ArgumentError } from '../../commands/errors';
import type { CommandArguments, CommandDefinition } from '../../commands/types';
import { FIRE_AT_FORMAT, parseFireAt } from '../../commands/dates';
import { timerIdentityProperties } from './timerKey';
import {
	intervalSeconds,
	intervalUnitProperty,
	timerData,
	timerDataProperty,
} from './timerArguments';
import { setTimerOutcome } from './timerOutput';

export const DEFAULT_EVENT_IDN = 'timer_fired';

/** What set_timer was asked to do, decided before anything is stored. */
export interface SetTimerInput {
	personaId: string;
	timerName: string;
	eventIdn: string;
	/** Text as given; parsed in run, where the workflow's timezone is known. */
	fireAt: string | undefined;
	intervalSeconds: number | undefined;
	repeatable: boolean;
	/** undefined: not given (a new timer is enabled; a timer it replaces keeps its flag). */
	enabled: boolean | undefined;
	/** What every fire carries to the Timer Trigger; undefined: not given. */
	data: JsonObject | undefined;
}

function setTimerProperties(repeatable: boolean): INodeProperties[] {
	return [
		...timerIdentityProperties,
		{
			displayName: 'Fire At',
			name: 'fireAt',
			type: 'string',
			default: '',
			placeholder: 'e.g. 2024-02-20T22:17',
			description: `When the timer fires first, as ${FIRE_AT_FORMAT}`,
			hint: "Without Z or an offset, the time is read in the workflow's timezone (workflow settings, else GENERIC_TIMEZONE)",
		},
		repeatable
			? {
					displayName: 'Interval',
					name: 'interval',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 60,
					required: true,
					description:
						'Time between fires, in Interval Unit; the first fire is at Fire At, or one interval from now',
				}
			: {
					displayName: 'Interval',
					name: 'interval',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description:
						'Fire once after this long, in Interval Unit (0: not used), or every interval when repeatable. Ignored when Fire At is set and the timer does not repeat.',
				},
		intervalUnitProperty,
		...(repeatable
			? []
			: [
					{
						displayName: 'Repeatable',
						name: 'repeatable',
						type: 'boolean',
						default: false,
						description: 'Whether the timer fires again every interval; needs an interval',
					} satisfies INodeProperties,
				]),
		{
			displayName: 'Enabled',
			name: 'enabled',
			type: 'boolean',
			default: true,
			description:
				'Whether the timer may fire. A disabled timer is kept with its schedule; enabling it arms it again.',
		},
		{
			displayName: 'Event Name',
			name: 'eventIdn',
			type: 'string',
			default: DEFAULT_EVENT_IDN,
			description: 'The event delivered to Timer Trigger nodes when the timer fires (eventIdn)',
		},
		timerDataProperty,
	];
}

function validateSetTimer(args: CommandArguments, repeatableForced: boolean): SetTimerInput {
	const personaId = requiredString(args, 'personaId', 'The persona the timer belongs to');
	const timerName = requiredString(args, 'timerName', 'Timer names are unique per persona');
	const fireAt = optionalString(args, 'fireAt');
	const interval = intervalSeconds(args);
	// Send Command may still pass the seed's repeatable to set_repeatable_timer; it is checked but cannot
	// turn repeating off, so the typed node shows no field for it there.
	const repeatable = repeatableForced || (optionalBoolean(args, 'repeatable') ?? false);
	const enabled = optionalBoolean(args, 'enabled');
	if (repeatable && interval === undefined) {
		throw new ArgumentError(
			'interval',
			'is required when the timer is repeatable',
			'Give the seconds between fires',
		);
	}
	return {
		personaId,
		timerName,
		eventIdn: optionalString(args, 'eventIdn') ?? DEFAULT_EVENT_IDN,
		fireAt,
		intervalSeconds: interval,
		repeatable,
		enabled,
		data: timerData(args),
	};
}

/** set_timer and set_repeatable_timer: one command, the second always repeating. */
export function setTimerCommand(
	commandIdn: 'set_timer' | 'set_repeatable_timer',
): CommandDefinition<SetTimerInput> {
	const repeatableForced = commandIdn === 'set_repeatable_timer';
	return {
		integrationIdn: 'program_timer',
		commandIdn,
		displayName: repeatableForced ? 'Set Repeatable Timer' : 'Set Timer',
		description: repeatableForced
			? 'Create or replace a timer that fires every interval'
			: 'Create or replace a timer that fires once (or repeatedly)',
		properties: setTimerProperties(repeatableForced),
		validate: (args: CommandArguments) => validateSetTimer(args, repeatableForced),
		async check(context, input) {
			if (input.fireAt !== undefined) parseFireAt(input.fireAt, context.timezone);
			if (input.fireAt !== undefined || input.intervalSeconds !== undefined) return;
			const existing = await context.store.getTimer(input.personaId, input.timerName);
			if (existing && input.data !== undefined) {
				throw new ArgumentError(
					'data',
					'is set together with the schedule',
					'Give Fire At or Interval with the data; without them only Enabled changes an existing timer',
				);
			}
			if (!existing && input.enabled !== false) {
				throw new ArgumentError(
					'fireAt',
					'or interval is required to create a timer',
					'Give Fire At or Interval; only a disabled timer can be created without a schedule',
				);
			}
		},
		async run(context, input, act) {
			const { store, timezone } = context;
			const existing = await store.getTimer(input.personaId, input.timerName);
			const now = Date.now();
			let nextFireAt: number | null;
			if (input.fireAt !== undefined) {
				nextFireAt = parseFireAt(input.fireAt, timezone);
			} else if (input.intervalSeconds !== undefined) {
				nextFireAt = now + input.intervalSeconds * 1000;
			} else if (existing) {
				// Only `enabled` given: keep the schedule, arm or disarm it (seed examples 4 and 5).
				const timer = await store.setTimerEnabled(
					input.personaId,
					input.timerName,
					input.enabled ?? true,
				);
				return setTimerOutcome(timer, timezone, now);
			} else {
				// check() let this through only for a disabled timer.
				nextFireAt = null;
			}
			const timer: PutTimerInput = {
				personaId: input.personaId,
				timerName: input.timerName,
				integrationIdn: 'program_timer',
				connectorIdn: act.connectorIdn,
				eventIdn: input.eventIdn,
				nextFireAt,
				// A one-shot timer with Fire At ignores the interval (seed semantics).
				intervalSeconds:
					input.repeatable || input.fireAt === undefined ? (input.intervalSeconds ?? null) : null,
				repeatable: input.repeatable,
				// Replacing a disabled timer without saying `enabled` must not arm it behind the user's back.
				enabled: input.enabled ?? existing?.state !== 'disabled',
				data: input.data ?? {},
			};
			const stored = await store.putTimer(timer);
			return { ...setTimerOutcome(stored, timezone, now), externalId: stored.id };
		},
	};
}
