import { timeOrderedId } from '../ids';
import type { Actor, Persona, UpsertActorInput, UpsertActorResult } from '../types';
import { copyActor, copyPersona, keyOf, type MemoryState } from './state';

export function upsertActor(state: MemoryState, input: UpsertActorInput): UpsertActorResult {
	const key = keyOf(input.integrationIdn, input.connectorIdn, input.externalId);
	const existing = state.actors.get(key);
	if (existing) {
		return {
			actor: copyActor(existing),
			persona: copyPersona(requirePersona(state, existing.personaId)),
			personaCreated: false,
			actorCreated: false,
		};
	}
	const now = Date.now();
	let persona = input.personaId === undefined ? undefined : state.personas.get(input.personaId);
	const personaCreated = persona === undefined;
	if (persona === undefined) {
		persona = {
			id: input.personaId ?? timeOrderedId(),
			name: input.personaName ?? null,
			metadata: {},
			createdAt: now,
			updatedAt: now,
		};
		state.personas.set(persona.id, persona);
	}
	const actor: Actor = {
		id: timeOrderedId(),
		personaId: persona.id,
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		externalId: input.externalId,
		createdAt: now,
		updatedAt: now,
	};
	state.actors.set(key, actor);
	return {
		actor: copyActor(actor),
		persona: copyPersona(persona),
		personaCreated,
		actorCreated: true,
	};
}

function requirePersona(state: MemoryState, id: string): Persona {
	const persona = state.personas.get(id);
	if (!persona)
		throw new Error(`Persona "${id}" of an existing actor is missing from the memory store`);
	return persona;
}
