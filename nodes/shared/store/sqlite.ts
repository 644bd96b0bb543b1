/**
 * The default backend: one SQLite file shared by every n8n process on the
 * host (main and workers), through Node's built-in `node:sqlite`.
 *
 * Each method is either one SQL statement (atomic by itself) or runs in
 * BEGIN IMMEDIATE … COMMIT, so a read-then-write never interleaves with
 * another process's. The connection is synchronous, so within this process
 * a method also runs to completion before any other call starts. Opening and
 * transactions are in sqlite/connection.ts, row decoding in sqlite/rows.ts,
 * the work of each role in sqlite/<role>.ts.
 */

import { closedStoreError } from './common';
import { StoreConveniences } from './conveniences';
import * as acts from './sqlite/acts';
import { Connection } from './sqlite/connection';
import * as identities from './sqlite/identities';
import * as outbox from './sqlite/outbox';
import * as sessions from './sqlite/sessions';
import * as timers from './sqlite/timers';
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

export class SqliteStore extends StoreConveniences implements SessionStore {
	readonly backend = 'sqlite' as const;

	private connection: Connection | null;

	/** Opens (creating it and its directory if needed) and migrates the store file at `path`. */
	constructor(readonly path: string) {
		super();
		this.connection = new Connection(path);
	}

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
		return outbox.appendEvent(this.open(), input);
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
		this.connection?.close();
		this.connection = null;
	}

	private open(): Connection {
		if (this.connection === null) throw closedStoreError('SQLite');
		return this.connection;
	}
}
