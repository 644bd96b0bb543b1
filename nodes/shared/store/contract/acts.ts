/** The acts role: the commands sent, and how each one settles. */

import type { JsonObject, JsonValue } from './json';
import type { PublishEventInput, StoredEvent } from './outbox';

export type ActStatus = 'pending' | 'sent' | 'completed' | 'failed';

/** One command sent, the equivalent of Newo's GetAct(). Never holds secrets. */
export interface Act {
	id: string;
	integrationIdn: string;
	connectorIdn: string;
	commandIdn: string;
	arguments: JsonObject;
	personaId: string | null;
	status: ActStatus;
	result: JsonValue;
	/** The id the remote side gave the act (call SID, message SID, session id …). */
	externalId: string | null;
	createdAt: number;
	updatedAt: number;
}

export interface CreateActInput {
	integrationIdn: string;
	connectorIdn: string;
	commandIdn: string;
	arguments: JsonObject;
	personaId?: string | null;
	status?: ActStatus;
	result?: JsonValue;
	externalId?: string | null;
}

export interface ActPatch {
	status?: ActStatus;
	result?: JsonValue;
	externalId?: string | null;
}

export interface ActUpdate {
	id: string;
	patch: ActPatch;
}

export interface ActFilter {
	/** Only the acts with these ids (unknown ids are left out); all when omitted. */
	ids?: string[];
	integrationIdn?: string;
	connectorIdn?: string;
	commandIdn?: string;
	personaId?: string;
	status?: ActStatus;
	/** Newest first; default 100. */
	limit?: number;
}

/** An act settled by settleAct, and the event that announces it. */
export interface SettledAct {
	act: Act;
	event: StoredEvent;
}

export interface ActsRole {
	/** Creates the acts, in order, as one atomic step (one commit for a node's whole batch of items). */
	createActs(inputs: CreateActInput[]): Promise<Act[]>;
	/**
	 * Applies each update, in order, as one atomic step; rejects (changing
	 * nothing) if any act is missing. Omitted patch fields are kept.
	 */
	updateActs(updates: ActUpdate[]): Promise<Act[]>;
	listActs(filter?: ActFilter): Promise<Act[]>;
	/**
	 * Applies `patch` AND appends `event` in one atomic step, only if the act's
	 * status is still `expected`; otherwise changes nothing and returns null.
	 * How an act that finishes in the background (an async HTTP request) is
	 * settled exactly once, even when a sweeper in another process races the
	 * process that ran it.
	 */
	settleAct(
		id: string,
		expected: ActStatus,
		patch: ActPatch,
		event: PublishEventInput,
	): Promise<SettledAct | null>;
}
