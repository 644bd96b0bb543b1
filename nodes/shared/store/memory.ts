/**
 * The in-process backend, for unit tests and `AGENT_CONNECTORS_STORE=memory:`.
 * Every method runs synchronously to completion before its promise settles,
 * which makes each one atomic within the process just like a SQLite
 * transaction. The work of each role is in memory/<role>.ts.
 */

import { closedStoreError } from './common';
import { StoreConveniences } from './conveniences';
import * as acts from './memory/acts';
import * as identities from './memory/identities';
import * as outbox from './memory/outbox';
import * as sessions from './memory/sessions';
import { MemoryState } from './memory/state';
import * as timers from './memory/timers';
import type {
	Act,
	ActFilter,
	ActPatch,
	ActStatus,
	ActUpdate,
	ClaimedTimer,
	CreateActInput,
	FiredTimer,
	PublishEventInput,
	PutTimerInput,
	ReadEventsOptions,
	Session,
	SessionKey,
	SessionLease,
	SessionPatch,
	SessionStore,
	SettledAct,
	StoredEvent,
	Timer,
	TimerFilter,
	TimerFire,
	UpsertActorInput,
	UpsertActorResult,
	UpsertSessionInput,
} from './types';

export class MemoryStore extends StoreConveniences implements SessionStore {
	readonly backend = 'memory' as const;

	private state: MemoryState | null = new MemoryState();

	async upsertActor(input: UpsertActorInput): Promise<UpsertActorResult> {
		return identities.upsertActor(this.open(), input);
	}

	async upsertSession(input: UpsertSessionInput): Promise<Session> {
		return sessions.upsertSession(this.open(), input);
	}

	async getSession(id: string): Promise<Session | null> {
		return sessions.getSession(this.open(), id);
	}

	async findSession(key: SessionKey): Promise<Session | null> {
		return sessions.findSession(this.open(), key);
	}

	async updateSession(id: string, patch: SessionPatch): Promise<Session> {
		return sessions.updateSession(this.open(), id, patch);
	}

	async compareAndSetSessionFlag(
		id: string,
		flag: string,
		expected: boolean,
		next: boolean,
	): Promise<boolean> {
		return sessions.compareAndSetSessionFlag(this.open(), id, flag, expected, next);
	}

	async acquireSessionLease(
		sessionId: string,
		name: string,
		ttlMs: number,
		now: number = Date.now(),
	): Promise<SessionLease | null> {
		return sessions.acquireSessionLease(this.open(), sessionId, name, ttlMs, now);
	}

	async releaseSessionLease(sessionId: string, name: string, token: string): Promise<boolean> {
		return sessions.releaseSessionLease(this.open(), sessionId, name, token);
	}

	async createActs(inputs: CreateActInput[]): Promise<Act[]> {
		return acts.createActs(this.open(), inputs);
	}

	async updateActs(updates: ActUpdate[]): Promise<Act[]> {
		return acts.updateActs(this.open(), updates);
	}

	async listActs(filter: ActFilter = {}): Promise<Act[]> {
		return acts.listActs(this.open(), filter);
	}

	async settleAct(
		id: string,
		expected: ActStatus,
		patch: ActPatch,
		event: PublishEventInput,
	): Promise<SettledAct | null> {
		return acts.settleAct(this.open(), id, expected, patch, event);
	}

	async putTimers(inputs: PutTimerInput[]): Promise<Timer[]> {
		return timers.putTimers(this.open(), inputs);
	}

	async getTimer(personaId: string, timerName: string): Promise<Timer | null> {
		return timers.getTimer(this.open(), personaId, timerName);
	}

	async listTimers(filter: TimerFilter = {}): Promise<Timer[]> {
		return timers.listTimers(this.open(), filter);
	}

	async setTimerEnabled(
		personaId: string,
		timerName: string,
		enabled: boolean,
		nextFireAt?: number | null,
	): Promise<Timer | null> {
		return timers.setTimerEnabled(this.open(), personaId, timerName, enabled, nextFireAt);
	}

	async cancelTimer(personaId: string, timerName: string): Promise<boolean> {
		return timers.cancelTimer(this.open(), personaId, timerName);
	}

	async nextDueAt(): Promise<number | null> {
		return timers.nextDueAt(this.open());
	}

	async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]> {
		return timers.claimDueTimers(this.open(), now, limit, leaseMs);
	}

	async fireTimers(fires: TimerFire[]): Promise<Array<FiredTimer | null>> {
		return timers.fireTimers(this.open(), fires);
	}

	async publishEvent(input: PublishEventInput): Promise<StoredEvent> {
		const state = this.open();
		return outbox.appendEvent(state, outbox.newEvent(input));
	}

	async readEvents(consumerId: string, options: ReadEventsOptions = {}): Promise<StoredEvent[]> {
		return outbox.readEvents(this.open(), consumerId, options);
	}

	async ackEvents(consumerId: string, seq: number): Promise<void> {
		outbox.ackEvents(this.open(), consumerId, seq);
	}

	async registerConsumer(consumerId: string, fromSeq?: number): Promise<void> {
		outbox.registerConsumer(this.open(), consumerId, fromSeq);
	}

	async pruneEvents(olderThan: number): Promise<number> {
		return outbox.pruneEvents(this.open(), olderThan);
	}

	async close(): Promise<void> {
		this.state = null;
	}

	private open(): MemoryState {
		if (this.state === null) throw closedStoreError('memory');
		return this.state;
	}
}
