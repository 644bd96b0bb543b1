import type { Timer } from '../../../nodes/shared/store';
import {
	DEFAULT_LATE_THRESHOLD_MS,
	TIMER_FIRED_EVENT,
	isLate,
	latenessMs,
	nextFireAfter,
	timerFiredEvent,
} from '../../../nodes/shared/timers/schedule';

const S = Date.UTC(2025, 0, 1, 9, 0, 0);
const MINUTE = 60_000;

function timer(overrides: Partial<Timer> = {}): Timer {
	return {
		id: 'timer-1',
		personaId: 'persona-1',
		timerName: 'followup',
		integrationIdn: 'program_timer',
		connectorIdn: 'timers',
		eventIdn: 'followup_due',
		nextFireAt: S,
		intervalSeconds: 60,
		repeatable: true,
		enabled: true,
		state: 'scheduled',
		fireCount: 0,
		lastFiredAt: null,
		data: {},
		leaseUntil: S + 30_000,
		createdAt: S - MINUTE,
		updatedAt: S - MINUTE,
		...overrides,
	};
}

describe('nextFireAfter', () => {
	it('is null for a one-shot timer, even one with an interval', () => {
		expect(nextFireAfter(timer({ repeatable: false }), S + 5)).toBeNull();
		expect(nextFireAfter(timer({ repeatable: false, intervalSeconds: null }), S)).toBeNull();
	});

	it('is one interval after the scheduled time for a fire on time or a little late', () => {
		expect(nextFireAfter(timer(), S)).toBe(S + MINUTE);
		expect(nextFireAfter(timer(), S + 250)).toBe(S + MINUTE);
		expect(nextFireAfter(timer(), S + MINUTE - 1)).toBe(S + MINUTE);
	});

	it('after a long gap skips the missed periods and keeps the cadence', () => {
		expect(nextFireAfter(timer(), S + 10 * MINUTE + 123)).toBe(S + 11 * MINUTE);
		const weekLater = S + 7 * 24 * 60 * MINUTE + 59_999;
		const next = nextFireAfter(timer(), weekLater);
		expect(next).toBe(S + 7 * 24 * 60 * MINUTE + MINUTE);
		expect(((next ?? 0) - S) % MINUTE).toBe(0);
	});

	it('is strictly after the fire when the fire lands exactly on the cadence', () => {
		expect(nextFireAfter(timer(), S + 3 * MINUTE)).toBe(S + 4 * MINUTE);
	});

	it('is never the scheduled time itself, even for a fire before it (clocks of other hosts)', () => {
		expect(nextFireAfter(timer(), S - 5000)).toBe(S + MINUTE);
	});

	it('handles fractional intervals in whole milliseconds', () => {
		expect(nextFireAfter(timer({ intervalSeconds: 1.5 }), S + 4000)).toBe(S + 4500);
		expect(nextFireAfter(timer({ intervalSeconds: 0.0004 }), S)).toBeNull();
	});

	it('is null for a repeatable timer without a usable interval, so it cannot fire in a loop', () => {
		expect(nextFireAfter(timer({ intervalSeconds: null }), S)).toBeNull();
		expect(nextFireAfter(timer({ intervalSeconds: 0 }), S)).toBeNull();
		expect(nextFireAfter(timer({ intervalSeconds: -60 }), S)).toBeNull();
	});

	it('is null for a timer without a scheduled time', () => {
		expect(nextFireAfter(timer({ nextFireAt: null }), S)).toBeNull();
	});
});

describe('lateness', () => {
	it('is the time from schedule to fire, never negative', () => {
		expect(latenessMs(S, S + 42)).toBe(42);
		expect(latenessMs(S, S - 3)).toBe(0);
	});

	it('is late only above the threshold (default one second)', () => {
		expect(DEFAULT_LATE_THRESHOLD_MS).toBe(1000);
		expect(isLate(1000)).toBe(false);
		expect(isLate(1001)).toBe(true);
		expect(isLate(60, 50)).toBe(true);
	});
});

describe('timerFiredEvent', () => {
	it('describes the fire of the claimed timer, with the data it was set with', () => {
		expect(timerFiredEvent(timer({ fireCount: 2, data: { orderId: 42 } }), S + 37)).toEqual({
			type: TIMER_FIRED_EVENT,
			integrationIdn: 'program_timer',
			connectorIdn: 'timers',
			payload: {
				timerId: 'timer-1',
				personaId: 'persona-1',
				timerName: 'followup',
				connectorIdn: 'timers',
				eventIdn: 'followup_due',
				scheduledAt: '2025-01-01T09:00:00.000Z',
				firedAt: '2025-01-01T09:00:00.037Z',
				lateMs: 37,
				late: false,
				fireCount: 3,
				repeatable: true,
				interval: 60,
				data: { orderId: 42 },
			},
		});
	});

	it('marks a fire late past the threshold given', () => {
		const overdue = timerFiredEvent(timer({ repeatable: false, intervalSeconds: null }), S + 5000);
		expect(overdue.payload).toMatchObject({
			lateMs: 5000,
			late: true,
			repeatable: false,
			interval: null,
		});
		expect(timerFiredEvent(timer(), S + 5000, 10_000).payload).toMatchObject({ late: false });
	});
});
