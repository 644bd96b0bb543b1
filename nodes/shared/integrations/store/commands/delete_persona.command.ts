import { ArgumentError } from '../../../commands/errors';
import { optionalString } from '../../../commands/arguments';
import type { CommandDefinition } from '../../../commands/types';

/**
 * Forgets one person: the persona, its identities (phone numbers …), its
 * sessions with their transcripts, its acts and its timers. The act of this
 * command names no one, so it is not itself a record about the person.
 */
export const deletePersona: CommandDefinition<string> = {
	integrationIdn: 'store',
	commandIdn: 'delete_persona',
	displayName: 'Delete Persona',
	description:
		'Remove a person and everything recorded about them: identities, sessions, conversations, acts and timers',
	properties: [
		{
			displayName: 'Persona ID',
			name: 'personaId',
			type: 'string',
			default: '',
			description: "The persona to remove; Send Command's Persona ID field when empty",
		},
	],
	recordsPersona: false,
	recordArguments: () => ({}),
	// Send Command's Persona ID field and a userPersonaId argument reach personaId (withPersona).
	validate(args) {
		const personaId = optionalString(args, 'personaId');
		if (personaId === undefined)
			throw new ArgumentError('personaId', 'Name the persona to remove (Persona ID)');
		return personaId;
	},
	async run({ store }, personaId) {
		const removed = await store.deletePersona(personaId);
		return {
			status: 'completed',
			result: { deleted: removed.personas > 0, removed: { ...removed } },
		};
	},
};
