/** What the timer engine tests share: timer inputs, a fire recorder and waiting on real time. */

import type { PutTimerInput, SessionStore, StoredEvent } from '../../../nodes/shared/store';
import type { FiredTimer, TimerEngine } from '../../../nodes/shared/timers/engine';
import { TIMER_FIRED_EVENT, type TimerFiredPayload } from '../../../nodes/shared/timers/schedule';

export function timerInput(overrides: Partial<PutTimerInput> = {}): PutTimerInput {
	return {
		personaId: 'persona-1',
		timerName: 'reminder',
		integrationIdn: 'program_timer',
		connectorIdn: 'timers',
		eventIdn: 'reminder_due',
		nextFireAt: Date.now() + 100,
		intervalSeconds: null,
		repeatable: false,
		enabled: true,
		...overrides,
	};
}

export const sleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
	what: string,
	condition: () => boolean | Promise<boolean>,
	timeoutMs = 5000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline)
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(10);
	}
}

export function payloadOf(fired: FiredTimer | StoredEvent): TimerFiredPayload {
	const event = 'event' in fired ? fired.event : fired;
	// The engine builds every timer_fired payload from TimerFiredPayload.
	return event.payload as TimerFiredPayload;
}

/** Every fire the engine announces, with the moment the announcement arrived. */
export class FireRecorder {
	readonly fires: Array<FiredTimer & { heardAt: number }> = [];
	readonly batchSizes: number[] = [];

	constructor(engine: TimerEngine) {
		engine.onFired((fired) => {
			const heardAt = Date.now();
			this.batchSizes.push(fired.length);
			for (const fire of fired) this.fires.push({ ...fire, heardAt });
		});
	}

	get names(): string[] {
		return this.fires.map((fire) => fire.timer.timerName);
	}

	waitForFires(count: number, timeoutMs?: number): Promise<void> {
		return waitFor(
			`${count} fires (heard ${this.fires.length})`,
			() => this.fires.length >= count,
			timeoutMs,
		);
	}
}

/** The timer_fired events in the store's outbox, oldest first. */
export async function firedEvents(store: SessionStore): Promise<StoredEvent[]> {
	return store.readEvents(`check-${Math.random()}`, { types: [TIMER_FIRED_EVENT], limit: 100_000 });
}

/** How many timer_fired events each timer id has in `events`. */
export function firesPerTimer(events: StoredEvent[]): Map<string, number> {
	const counts = new Map<string, number>();
	for (const event of events) {
		const { timerId } = payloadOf(event);
		counts.set(timerId, (counts.get(timerId) ?? 0) + 1);
	}
	return counts;
}
