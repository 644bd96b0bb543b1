/**
 * What every backend shares: the store's methods, each handing the backend's
 * open handle (a SQLite connection, the in-memory state) to the backend's
 * operation of the same name, and rejecting once the store is closed. A
 * backend is its operations, how it opens and how it closes. The one-item
 * forms callers use are written here once over the batch primitives, so that
 * no backend can give them a meaning of its own.
 */

import type {
	Act,
	ActFilter,
	ActPatch,
	ActStatus,
	ActUpdate,
	ClaimedTimer,
	ConnectorListener,
	CreateActInput,
	FiredTimer,
	ListenerFilter,
	PublishEventInput,
	PutTimerInput,
	RateTake,
	ReadEventsOptions,
	RegisterListenerInput,
	RemovedRecords,
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
	TimerFirePlan,
	UpsertActorInput,
	UpsertActorResult,
	UpsertSessionInput,
} from './types';

type Primitives = Omit<SessionStore, 'backend' | 'close' | 'putTimer'>;

/**
 * A backend's work for each primitive, given its open handle; a result or a
 * promise of it (a networked backend answers later).
 */
export type Operations<Handle> = {
	[Name in keyof Primitives]: (
		handle: Handle,
		...args: Parameters<Primitives[Name]>
	) => Awaited<ReturnType<Primitives[Name]>> | ReturnType<Primitives[Name]>;
};

export abstract class BackendStore<Handle> implements SessionStore {
	abstract readonly backend: SessionStore['backend'];
	abstract close(): Promise<void>;

	constructor(private readonly operations: Operations<Handle>) {}

	async putTimer(input: PutTimerInput): Promise<Timer> {
		const [timer] = await this.putTimers([input]);
		return timer;
	}

	/** The handle to work on; throws once the store is closed. */
	protected abstract open(): Handle;

	async upsertActor(input: UpsertActorInput): Promise<UpsertActorResult> {
		return this.operations.upsertActor(this.open(), input);
	}

	async upsertSession(input: UpsertSessionInput): Promise<Session> {
		return this.operations.upsertSession(this.open(), input);
	}

	async getSession(id: string): Promise<Session | null> {
		return this.operations.getSession(this.open(), id);
	}

	async findSession(key: SessionKey): Promise<Session | null> {
		return this.operations.findSession(this.open(), key);
	}

	async updateSession(id: string, patch: SessionPatch): Promise<Session> {
		return this.operations.updateSession(this.open(), id, patch);
	}

	async compareAndSetSessionFlag(
		id: string,
		flag: string,
		expected: boolean,
		next: boolean,
	): Promise<boolean> {
		return this.operations.compareAndSetSessionFlag(this.open(), id, flag, expected, next);
	}

	async acquireSessionLease(
		sessionId: string,
		name: string,
		ttlMs: number,
		now?: number,
	): Promise<SessionLease | null> {
		return this.operations.acquireSessionLease(this.open(), sessionId, name, ttlMs, now);
	}

	async releaseSessionLease(sessionId: string, name: string, token: string): Promise<boolean> {
		return this.operations.releaseSessionLease(this.open(), sessionId, name, token);
	}

	async createActs(inputs: CreateActInput[]): Promise<Act[]> {
		return this.operations.createActs(this.open(), inputs);
	}

	async updateActs(updates: ActUpdate[]): Promise<Act[]> {
		return this.operations.updateActs(this.open(), updates);
	}

	async listActs(filter?: ActFilter): Promise<Act[]> {
		return this.operations.listActs(this.open(), filter);
	}

	async settleAct(
		id: string,
		expected: ActStatus,
		patch: ActPatch,
		event: PublishEventInput,
	): Promise<SettledAct | null> {
		return this.operations.settleAct(this.open(), id, expected, patch, event);
	}

	async putTimers(inputs: PutTimerInput[]): Promise<Timer[]> {
		return this.operations.putTimers(this.open(), inputs);
	}

	async getTimer(personaId: string, timerName: string): Promise<Timer | null> {
		return this.operations.getTimer(this.open(), personaId, timerName);
	}

	async listTimers(filter?: TimerFilter): Promise<Timer[]> {
		return this.operations.listTimers(this.open(), filter);
	}

	async setTimerEnabled(
		personaId: string,
		timerName: string,
		enabled: boolean,
		nextFireAt?: number | null,
	): Promise<Timer | null> {
		return this.operations.setTimerEnabled(this.open(), personaId, timerName, enabled, nextFireAt);
	}

	async cancelTimer(personaId: string, timerName: string): Promise<boolean> {
		return this.operations.cancelTimer(this.open(), personaId, timerName);
	}

	async nextDueAt(): Promise<number | null> {
		return this.operations.nextDueAt(this.open());
	}

	async claimDueTimers(now: number, limit: number, leaseMs: number): Promise<ClaimedTimer[]> {
		return this.operations.claimDueTimers(this.open(), now, limit, leaseMs);
	}

	async fireTimers(fires: TimerFire[]): Promise<Array<FiredTimer | null>> {
		return this.operations.fireTimers(this.open(), fires);
	}

	async fireDueTimers(now: number, limit: number, plan: TimerFirePlan): Promise<FiredTimer[]> {
		return this.operations.fireDueTimers(this.open(), now, limit, plan);
	}

	async publishEvent(input: PublishEventInput): Promise<StoredEvent> {
		return this.operations.publishEvent(this.open(), input);
	}

	async readEvents(consumerId: string, options?: ReadEventsOptions): Promise<StoredEvent[]> {
		return this.operations.readEvents(this.open(), consumerId, options);
	}

	async ackEvents(consumerId: string, seq: number): Promise<void> {
		await this.operations.ackEvents(this.open(), consumerId, seq);
	}

	async registerConsumer(consumerId: string, fromSeq?: number): Promise<void> {
		await this.operations.registerConsumer(this.open(), consumerId, fromSeq);
	}

	async pruneEvents(olderThan: number): Promise<number> {
		return this.operations.pruneEvents(this.open(), olderThan);
	}

	async pruneRecords(olderThan: number, limit: number): Promise<RemovedRecords> {
		return this.operations.pruneRecords(this.open(), olderThan, limit);
	}

	async deletePersona(personaId: string): Promise<RemovedRecords> {
		return this.operations.deletePersona(this.open(), personaId);
	}

	async registerListener(input: RegisterListenerInput, now?: number): Promise<ConnectorListener> {
		return this.operations.registerListener(this.open(), input, now);
	}

	async unregisterListener(id: string): Promise<boolean> {
		return this.operations.unregisterListener(this.open(), id);
	}

	async listListeners(filter?: ListenerFilter, now?: number): Promise<ConnectorListener[]> {
		return this.operations.listListeners(this.open(), filter, now);
	}

	async takeRateToken(take: RateTake, now?: number): Promise<number> {
		return this.operations.takeRateToken(this.open(), take, now);
	}
}
