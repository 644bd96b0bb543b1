/**
 * What the memory backend holds. Stored objects are copied in and out (the
 * copy functions here) so callers can never change the store by mutating
 * what they passed or got back.
 */

import { cloneJson } from '../common';
import type { Act, Actor, ConnectorListener, Persona, Session, StoredEvent, Timer } from '../types';

export interface TimerRecord {
	timer: Timer;
	leaseToken: string | null;
}

export interface ActRecord {
	act: Act;
	/** Insertion order, the tie-break SQLite gets from rowid for acts created in the same millisecond. */
	order: number;
}

export interface LeaseRecord {
	token: string;
	expiresAt: number;
}

export class MemoryState {
	readonly personas = new Map<string, Persona>();
	/** By actor key. */
	readonly actors = new Map<string, Actor>();
	readonly sessions = new Map<string, Session>();
	readonly sessionIdsByKey = new Map<string, string>();
	/** By keyOf(session id, lease name). */
	readonly sessionLeases = new Map<string, LeaseRecord>();
	readonly acts = new Map<string, ActRecord>();
	actOrder = 0;
	/** By timer id; `timerIdsByName` finds the current timer of a persona by name. */
	readonly timers = new Map<string, TimerRecord>();
	readonly timerIdsByName = new Map<string, string>();
	/** Ascending by seq, because seqs are handed out in append order. */
	events: StoredEvent[] = [];
	/** The last seq handed out; like SQLite AUTOINCREMENT it survives pruning. */
	lastSeq = 0;
	readonly consumers = new Map<string, number>();
	readonly listeners = new Map<string, ConnectorListener>();
	/** Each rate key's arrival time (contract/rates.ts). */
	readonly rates = new Map<string, number>();
}

export const keyOf = (...parts: string[]): string => JSON.stringify(parts);

export const copyPersona = (p: Persona): Persona => ({ ...p, metadata: cloneJson(p.metadata) });
export const copyActor = (a: Actor): Actor => ({ ...a });
export const copySession = (s: Session): Session => ({
	...s,
	metadata: cloneJson(s.metadata),
	state: cloneJson(s.state),
	flags: { ...s.flags },
});
export const copyAct = (a: Act): Act => ({
	...a,
	arguments: cloneJson(a.arguments),
	result: cloneJson(a.result),
});
export const copyTimer = (t: Timer): Timer => ({ ...t, data: cloneJson(t.data) });
export const copyEvent = (e: StoredEvent): StoredEvent => ({ ...e, payload: cloneJson(e.payload) });
