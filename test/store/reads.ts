/**
 * Reads tests need that the store answers only through its public methods
 * (the store has no single-record getters for acts and actors).
 */

import type { Act, Actor, ActorKey, SessionStore } from '../../nodes/shared/store/types';

/** The act with this id, or null. */
export async function getAct(store: SessionStore, id: string): Promise<Act | null> {
	const [act] = await store.listActs({ ids: [id] });
	return act ?? null;
}

/**
 * The actor stored for `key`, read through upsertActor, or null when there
 * was none. upsertActor then creates it (and a persona), so call this only
 * where nothing is checked about the store afterwards.
 */
export async function storedActor(store: SessionStore, key: ActorKey): Promise<Actor | null> {
	const { actor, actorCreated } = await store.upsertActor(key);
	return actorCreated ? null : actor;
}
