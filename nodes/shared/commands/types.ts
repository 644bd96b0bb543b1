import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Act, JsonObject, JsonValue, SessionStore } from '../store/types';

/** Arguments as a command receives them: seed-style strings, or any JSON value. */
export type CommandArguments = JsonObject;

/** What a command may use while it runs; built once per item by the node. */
export interface CommandContext {
	store: SessionStore;
	/** IANA zone of the workflow, for arguments given without an offset. */
	timezone: string;
	itemIndex: number;
	/** The running node, for credentials and n8n's HTTP helpers. */
	functions: IExecuteFunctions;
	/** Messages per second per sender the node paces its sends at; undefined: no pace. */
	sendingRate?: number;
}

export interface CommandRequest {
	integrationIdn: string;
	commandIdn: string;
	connectorIdn: string;
	arguments: CommandArguments;
	personaId?: string;
}

/** What a command's run reports; the registry turns it into the act's final state. */
export interface CommandOutcome {
	/** `failed`: the command ran and its result is a failure the workflow handles (e.g. a network error of send_request). */
	status: 'sent' | 'completed' | 'failed';
	result: JsonValue;
	/** The remote side's id for what was sent (call SID, message SID …). */
	externalId?: string;
	/**
	 * Work that goes on after the node has answered (an async request); it
	 * settles the act itself and must never throw. Started once the act is
	 * recorded with this outcome.
	 */
	continueInBackground?: (act: Act) => void;
}

export interface CommandDefinition<Input = unknown> {
	integrationIdn: string;
	/** `*` accepts any command name (the sandbox). */
	commandIdn: string;
	/**
	 * Other command names Send Command accepts for this command, as another
	 * platform spells the same action; the act records `commandIdn`.
	 */
	aliases?: string[];
	displayName: string;
	description: string;
	/**
	 * The command's schema: the fields a typed node shows, and the arguments
	 * Send Command takes by the same names, so both feed `validate` alike.
	 * `required: true` on a field without displayOptions makes the argument
	 * required everywhere; a collection's fields are optional arguments.
	 */
	properties?: INodeProperties[];
	/**
	 * Other spellings Send Command accepts for an argument, as the seed writes
	 * them (alias → argument name); renamed before validation.
	 */
	sendCommandAliases?: Record<string, string>;
	/** What a typed node outputs from the act's result: the result itself unless a list is split into items. */
	toItems?(result: JsonValue): JsonObject[];
	/** false: the act names no persona (a command that removes a person leaves no record of them). */
	recordsPersona?: boolean;
	/** The arguments as the act records them; by default every argument, with secret-looking names redacted. */
	recordArguments?(input: Input, args: CommandArguments): JsonObject;
	/** Checks and converts the arguments; throws ArgumentError before anything is sent or stored. */
	validate(args: CommandArguments, request: CommandRequest): Input;
	/** Checks that need the store or the workflow's timezone; also before anything is sent or stored. */
	check?(context: CommandContext, input: Input): Promise<void>;
	run(context: CommandContext, input: Input, act: Act): Promise<CommandOutcome>;
}

export interface IntegrationDefinition {
	integrationIdn: string;
	displayName: string;
	description: string;
	/** The n8n credential type its commands need; none when they reach no service of their own. */
	credential?: string;
	// Method parameters are bivariant, so commands with their own Input types fit here.
	commands: CommandDefinition[];
}
