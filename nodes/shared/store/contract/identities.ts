/** The identities role: personas and the connector identities (actors) that point to them. */

import type { JsonObject } from './json';

export interface Persona {
	id: string;
	name: string | null;
	metadata: JsonObject;
	createdAt: number;
	updatedAt: number;
}

/** Links a persona to one identity on one connector, e.g. a phone number on an SMS connector. */
export interface Actor {
	id: string;
	personaId: string;
	integrationIdn: string;
	connectorIdn: string;
	externalId: string;
	createdAt: number;
	updatedAt: number;
}

export interface ActorKey {
	integrationIdn: string;
	connectorIdn: string;
	externalId: string;
}

export interface UpsertActorInput extends ActorKey {
	/**
	 * Attach to this persona when the actor is new (creating the persona with
	 * this id if there is none yet); ignored when the actor exists.
	 */
	personaId?: string;
	/** Name of a persona this call creates; never renames an existing one. */
	personaName?: string;
}

export interface UpsertActorResult {
	persona: Persona;
	actor: Actor;
	personaCreated: boolean;
	actorCreated: boolean;
}

export interface IdentitiesRole {
	/** Also the way to read an actor and its persona: an existing actor is returned unchanged. */
	upsertActor(input: UpsertActorInput): Promise<UpsertActorResult>;
}
