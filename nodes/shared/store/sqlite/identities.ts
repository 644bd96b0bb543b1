import { timeOrderedId } from '../ids';
import { toActor, toPersona } from '../sql/rows';
import {
	ACTOR_BY_KEY_SQL,
	ACTOR_INSERT_SQL,
	PERSONA_BY_ID_SQL,
	PERSONA_INSERT_SQL,
} from '../sql/statements';
import type { UpsertActorInput, UpsertActorResult } from '../types';
import type { Connection } from './connection';

export function upsertActor(conn: Connection, input: UpsertActorInput): UpsertActorResult {
	return conn.transaction(() => {
		const existing = conn.get(
			ACTOR_BY_KEY_SQL,
			input.integrationIdn,
			input.connectorIdn,
			input.externalId,
		);
		if (existing) {
			const actor = toActor(existing);
			const persona = conn.get(PERSONA_BY_ID_SQL, actor.personaId);
			if (!persona)
				throw new Error(`Persona "${actor.personaId}" of actor "${actor.id}" is missing`);
			return { actor, persona: toPersona(persona), actorCreated: false, personaCreated: false };
		}
		const now = Date.now();
		let personaRow =
			input.personaId === undefined ? undefined : conn.get(PERSONA_BY_ID_SQL, input.personaId);
		const personaCreated = personaRow === undefined;
		if (personaRow === undefined) {
			personaRow = conn.returning(
				PERSONA_INSERT_SQL,
				input.personaId ?? timeOrderedId(),
				input.personaName ?? null,
				now,
				now,
			);
		}
		const persona = toPersona(personaRow);
		const actor = toActor(
			conn.returning(
				ACTOR_INSERT_SQL,
				timeOrderedId(),
				persona.id,
				input.integrationIdn,
				input.connectorIdn,
				input.externalId,
				now,
				now,
			),
		);
		return { actor, persona, actorCreated: true, personaCreated };
	});
}
