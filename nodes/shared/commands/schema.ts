import type { INodeProperties } from 'n8n-workflow';

import { isBlank } from './arguments';
import { ArgumentError } from './errors';
import type { CommandArguments, CommandDefinition } from './types';

/**
 * A command's properties are its one schema: the typed node shows them as
 * fields, and Send Command's free arguments are checked against the same
 * names. validate() does the rest (types, formats, requirements that depend
 * on other arguments).
 */

export interface CommandArgument {
	name: string;
	/** Required whatever the other arguments are. */
	required: boolean;
	/** How to fill it, shown under a "required" error. */
	description: string;
}

function isProperty(option: unknown): option is INodeProperties {
	return typeof option === 'object' && option !== null && 'type' in option && 'name' in option;
}

function argumentOf(property: INodeProperties): CommandArgument {
	return {
		name: property.name,
		// A field the editor hides in some configurations is required only in those; validate() checks that.
		required: property.required === true && property.displayOptions === undefined,
		description: property.description ?? '',
	};
}

/** Derived once per command: the required check runs for every item of every run. */
const argumentsByCommand = new WeakMap<CommandDefinition, CommandArgument[]>();

/** The arguments a command takes, from its properties. */
export function commandArguments(command: CommandDefinition): CommandArgument[] {
	let derived = argumentsByCommand.get(command);
	if (derived === undefined) {
		derived = argumentsOf(command);
		argumentsByCommand.set(command, derived);
	}
	return derived;
}

function argumentsOf(command: CommandDefinition): CommandArgument[] {
	return (command.properties ?? []).flatMap((property) => {
		if (property.type === 'notice') return [];
		// A collection only groups optional fields in the editor; each of its fields is an argument of its own.
		if (property.type === 'collection') {
			return (property.options ?? [])
				.filter(isProperty)
				.map((option) => ({ ...argumentOf(option), required: false }));
		}
		return [argumentOf(property)];
	});
}

/** Throws for the first argument that is required and missing (absent, null or blank). */
export function checkRequiredArguments(command: CommandDefinition, args: CommandArguments): void {
	for (const argument of commandArguments(command)) {
		if (argument.required && isBlank(args[argument.name])) {
			throw new ArgumentError(argument.name, 'is required', argument.description || undefined);
		}
	}
}

/**
 * The arguments with the seed's other spellings renamed to the argument
 * names. Typed nodes name every argument by its property, so only Send
 * Command's free arguments ever carry an alias.
 */
export function resolveAliases(
	command: CommandDefinition,
	args: CommandArguments,
): CommandArguments {
	const aliases = command.sendCommandAliases;
	if (!aliases) return args;
	const resolved: CommandArguments = { ...args };
	for (const [alias, name] of Object.entries(aliases)) {
		if (!(alias in resolved)) continue;
		if (!isBlank(resolved[name])) {
			throw new ArgumentError(alias, `is given together with '${name}'`, 'Give only one of them');
		}
		resolved[name] = resolved[alias];
		delete resolved[alias];
	}
	return resolved;
}

/** The arguments through which commands take the persona they act for. */
const PERSONA_ARGUMENTS = new Set(['personaId', 'userPersonaId']);

/**
 * The arguments with the request's persona (see personaOf) in every persona
 * argument the command takes and the request left empty: Send Command's
 * Persona ID field reaches the command, and the command acts for the persona
 * its act records.
 */
export function withPersona(
	command: CommandDefinition,
	args: CommandArguments,
	persona: string | null,
): CommandArguments {
	if (persona === null) return args;
	const filled: CommandArguments = { ...args };
	for (const { name } of commandArguments(command)) {
		if (PERSONA_ARGUMENTS.has(name) && isBlank(filled[name])) filled[name] = persona;
	}
	return filled;
}
