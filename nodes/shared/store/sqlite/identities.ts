import { timeOrderedId } from '../ids';
import type { UpsertActorInput, UpsertActorResult } from '../types';
import type { Connection } from './connection';
import { toActor, toPersona } from './rows';

export function upsertActor(conn: Connection, input: UpsertActorInput): UpsertActorResult {
	return conn.transaction(() => {
		const existing = conn.get(
			'SELECT * FROM actors WHERE integration_idn = ? AND connector_idn = ? AND external_id = ?',
			input.integrationIdn,
			input.connectorIdn,
			input.externalId,
		);
		if (existing) {
			const actor = toActor(existing);
			const persona = conn.get('SELECT * FROM personas WHERE id = ?', actor.personaId);
			if (!persona)
				throw new Error(`Persona "${actor.personaId}" of actor "${actor.id}" is missing`);
			return { actor, persona: toPersona(persona), actorCreated: false, personaCreated: false };
		}
		const now = Date.now();
		let personaRow =
			input.personaId === undefined
				? undefined
				: conn.get('SELECT * FROM personas WHERE id = ?', input.personaId);
		const personaCreated = personaRow === undefined;
		if (personaRow === undefined) {
			personaRow = conn.returning(
				`INSERT INTO personas (id, name, metadata, created_at, updated_at) VALUES (?, ?, '{}', ?, ?) RETURNING *`,
				input.personaId ?? timeOrderedId(),
				input.personaName ?? null,
				now,
				now,
			);
		}
		const persona = toPersona(personaRow);
		const actor = toActor(
			conn.returning(
				`INSERT INTO actors (id, persona_id, integration_idn, connector_idn, external_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
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
