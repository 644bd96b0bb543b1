import { timeOrderedId } from '../ids';
import { toActor, toPersona } from '../sql/rows';
import {
	ACTOR_BY_KEY_SQL,
	ACTOR_INSERT_SQL,
	PERSONA_BY_ID_SQL,
	PERSONA_INSERT_SQL,
} from '../sql/statements';
import type { UpsertActorInput, UpsertActorResult } from '../types';
import type { Database, Executor } from './connection';

/**
 * An existing actor is read without a transaction; a new one is created
 * with its persona in one. When another process creates the same actor at
 * the same moment, the one that commits first wins and the other reads its
 * actor: the loop ends at the latest on its second turn.
 */
export async function upsertActor(
	db: Database,
	input: UpsertActorInput,
): Promise<UpsertActorResult> {
	for (;;) {
		const existing = await readActor(db, input);
		if (existing) return existing;
		const created = await db.transaction((tx) => createActor(tx, input));
		if (created) return created;
	}
}

async function readActor(
	db: Executor,
	input: UpsertActorInput,
): Promise<UpsertActorResult | undefined> {
	const row = await db.get(
		ACTOR_BY_KEY_SQL,
		input.integrationIdn,
		input.connectorIdn,
		input.externalId,
	);
	if (!row) return undefined;
	const actor = toActor(row);
	const persona = await db.get(PERSONA_BY_ID_SQL, actor.personaId);
	if (!persona) throw new Error(`Persona "${actor.personaId}" of actor "${actor.id}" is missing`);
	return { actor, persona: toPersona(persona), actorCreated: false, personaCreated: false };
}

/**
 * The actor first: when another writer took its key (its insert waits for
 * that one's commit, then gives way), nothing was written and null says so.
 * Its persona follows, created unless it exists; the foreign key between
 * them is checked at commit (DEFERRABLE), once both are there.
 */
async function createActor(
	tx: Executor,
	input: UpsertActorInput,
): Promise<UpsertActorResult | null> {
	const now = Date.now();
	const personaId = input.personaId ?? timeOrderedId();
	const actor = await tx.get(
		ACTOR_INSERT_SQL,
		timeOrderedId(),
		personaId,
		input.integrationIdn,
		input.connectorIdn,
		input.externalId,
		now,
		now,
	);
	if (!actor) return null;
	const created = await tx.get(PERSONA_INSERT_SQL, personaId, input.personaName ?? null, now, now);
	return {
		actor: toActor(actor),
		persona: toPersona(created ?? (await tx.returning(PERSONA_BY_ID_SQL, personaId))),
		actorCreated: true,
		personaCreated: created !== undefined,
	};
}
