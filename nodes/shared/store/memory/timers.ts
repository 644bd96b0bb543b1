import { cloneJson, resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import {
	compareDue,
	compareTimersForListing,
	enabledTimerFields,
	firedTimer,
	isClaimable,
	newTimer,
} from '../rules';
import type {
	ClaimedTimer,
	FiredTimer,
	PutTimerInput,
	Timer,
	TimerFilter,
	TimerFire,
	TimerFireOutcome,
	TimerFirePlan,
} from '../types';
import { appendEvent, newEvent } from './outbox';
import { copyTimer, keyOf, type MemoryState, type TimerRecord } from './state';

export function putTimers(state: MemoryState, inputs: PutTimerInput[]): Timer[] {
	// Copied first: copying can throw, and then no timer may be stored.
	const data = inputs.map((input) => cloneJson(input.data ?? {}));
	const now = Date.now();
	return inputs.map((input, index) => {
		const nameKey = keyOf(input.personaId, input.timerName);
		const replacedId = state.timerIdsByName.get(nameKey);
		if (replacedId !== undefined) state.timers.delete(replacedId);
		const timer = newTimer(input, data[index], now);
		state.timers.set(timer.id, { timer, leaseToken: null });
		state.timerIdsByName.set(nameKey, timer.id);
		return copyTimer(timer);
	});
}

export function getTimer(state: MemoryState, personaId: string, timerName: string): Timer | null {
	const record = findTimer(state, personaId, timerName);
	return record ? copyTimer(record.timer) : null;
}

export function listTimers(state: MemoryState, filter: TimerFilter = {}): Timer[] {
	const limit = resolveLimit(filter.limit);
	return [...state.timers.values()]
		.map(({ timer }) => timer)
		.filter(
			(t) =>
				(filter.personaId === undefined || t.personaId === filter.personaId) &&
				(filter.connectorIdn === undefined || t.connectorIdn === filter.connectorIdn) &&
				(filter.state === undefined || t.state === filter.state),
		)
		.sort(compareTimersForListing)
		.slice(0, limit)
		.map(copyTimer);
}

export function setTimerEnabled(
	state: MemoryState,
	personaId: string,
	timerName: string,
	enabled: boolean,
	nextFireAt: number | null | undefined,
): Timer | null {
	const record = findTimer(state, personaId, timerName);
	if (!record) return null;
	const fields = enabledTimerFields(record.timer, enabled, nextFireAt);
	record.timer = { ...record.timer, ...fields, updatedAt: Date.now() };
	return copyTimer(record.timer);
}

export function cancelTimer(state: MemoryState, personaId: string, timerName: string): boolean {
	const record = findTimer(state, personaId, timerName);
	if (!record) return false;
	record.timer = {
		...record.timer,
		state: 'cancelled',
		nextFireAt: null,
		leaseUntil: null,
		updatedAt: Date.now(),
	};
	record.leaseToken = null;
	return true;
}

export function nextDueAt(state: MemoryState): number | null {
	const now = Date.now();
	let earliest: number | null = null;
	for (const { timer } of state.timers.values()) {
		if (!isClaimable(timer, now) || timer.nextFireAt === null) continue;
		if (earliest === null || timer.nextFireAt < earliest) earliest = timer.nextFireAt;
	}
	return earliest;
}

export function claimDueTimers(
	state: MemoryState,
	now: number,
	limit: number,
	leaseMs: number,
): ClaimedTimer[] {
	return dueRecords(state, now, resolveLimit(limit)).map((record) => {
		record.leaseToken = timeOrderedId();
		record.timer = { ...record.timer, leaseUntil: now + leaseMs, updatedAt: Date.now() };
		return { timer: copyTimer(record.timer), leaseToken: record.leaseToken };
	});
}

export function fireTimers(state: MemoryState, fires: TimerFire[]): Array<FiredTimer | null> {
	// Built first: copying a payload is the one step that can throw, and it
	// must not leave a fire recorded without its event.
	const pending = fires.map((fire) => newEvent(fire.event));
	return fires.map(({ timerId, leaseToken, outcome }, index) => {
		const timer = recordFire(state, timerId, leaseToken, outcome);
		return timer === null ? null : { timer, event: appendEvent(state, pending[index]) };
	});
}

export function fireDueTimers(
	state: MemoryState,
	now: number,
	limit: number,
	plan: TimerFirePlan,
): FiredTimer[] {
	const due = dueRecords(state, now, resolveLimit(limit));
	// Planned and copied first: either can throw, and must not leave some
	// fires recorded and others not.
	const fires = due.map((record) => {
		const { outcome, event } = plan(copyTimer(record.timer));
		return { record, outcome, pending: newEvent(event) };
	});
	const updatedAt = Date.now();
	return fires.map(({ record, outcome, pending }) => {
		record.timer = firedTimer(record.timer, outcome, updatedAt);
		record.leaseToken = null;
		return { timer: copyTimer(record.timer), event: appendEvent(state, pending) };
	});
}

/** Up to `max` claimable timers due by `now`, in due order. */
function dueRecords(state: MemoryState, now: number, max: number): TimerRecord[] {
	return [...state.timers.values()]
		.filter(
			({ timer }) =>
				isClaimable(timer, now) && timer.nextFireAt !== null && timer.nextFireAt <= now,
		)
		.sort((a, b) => compareDue(a.timer, b.timer))
		.slice(0, max);
}

function recordFire(
	state: MemoryState,
	timerId: string,
	leaseToken: string,
	outcome: TimerFireOutcome,
): Timer | null {
	const record = state.timers.get(timerId);
	if (!record || record.leaseToken === null || record.leaseToken !== leaseToken) return null;
	record.timer = firedTimer(record.timer, outcome, Date.now());
	record.leaseToken = null;
	return copyTimer(record.timer);
}

function findTimer(
	state: MemoryState,
	personaId: string,
	timerName: string,
): TimerRecord | undefined {
	const id = state.timerIdsByName.get(keyOf(personaId, timerName));
	return id === undefined ? undefined : state.timers.get(id);
}
