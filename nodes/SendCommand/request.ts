import type { IExecuteFunctions } from 'n8n-workflow';

import { ArgumentError, CommandInputError } from '../shared/commands/errors';
import type { CommandArguments, CommandRequest } from '../shared/commands/types';
import type { JsonObject, JsonValue } from '../shared/store/types';
import { readActionForm } from './actionForm';

interface ArgumentPair {
	name?: string;
	value?: string | number | boolean | null;
}

function fromPairs(pairs: ArgumentPair[]): CommandArguments {
	const args: CommandArguments = {};
	for (const pair of pairs) {
		const name = (pair.name ?? '').trim();
		if (name === '') {
			throw new CommandInputError(
				'An argument has no name',
				'arguments',
				'Give every argument a name or remove it',
			);
		}
		if (name in args) {
			throw new ArgumentError(name, 'is given twice', 'Each argument name may appear once');
		}
		// The seed passes every argument as a string; commands convert what they need.
		args[name] = pair.value === undefined || pair.value === null ? '' : String(pair.value);
	}
	return args;
}

function parseJson(text: string): { value: unknown } | { problem: string } {
	try {
		return { value: text.trim() === '' ? {} : JSON.parse(text) };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

function fromJson(raw: unknown): CommandArguments {
	let parsed: unknown = raw;
	if (typeof raw === 'string') {
		const outcome = parseJson(raw);
		if ('problem' in outcome) {
			throw new CommandInputError(
				`Arguments (JSON) is not valid JSON: ${outcome.problem}`,
				'argumentsJson',
				'Write an object such as {"phoneNumber": "+16507000000"}',
			);
		}
		parsed = outcome.value;
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new CommandInputError(
			'Arguments (JSON) must be a JSON object',
			'argumentsJson',
			'Write an object such as {"text": "hi"}',
		);
	}
	return parsed as JsonObject;
}

function stringParameter(functions: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = functions.getNodeParameter(name, itemIndex, '') as JsonValue;
	return value === null ? '' : String(value).trim();
}

export function readCommandRequest(
	functions: IExecuteFunctions,
	itemIndex: number,
): CommandRequest {
	const mode = functions.getNodeParameter('argumentsMode', itemIndex, 'keyValue') as string;
	const args =
		mode === 'json'
			? fromJson(functions.getNodeParameter('argumentsJson', itemIndex, '{}'))
			: fromPairs(
					(functions.getNodeParameter('arguments.argument', itemIndex, []) as ArgumentPair[]) ?? [],
				);
	const personaId = stringParameter(functions, 'personaId', itemIndex);
	const commandIdn = stringParameter(functions, 'commandIdn', itemIndex);
	if (commandIdn === '') {
		throw new CommandInputError(
			'Command is required',
			'commandIdn',
			'Enter the commandIdn, e.g. send_message',
		);
	}
	const action = readActionForm(commandIdn, args);
	return {
		integrationIdn: stringParameter(functions, 'integrationIdn', itemIndex),
		commandIdn: action.commandIdn,
		connectorIdn: stringParameter(functions, 'connectorIdn', itemIndex),
		arguments: action.arguments,
		personaId: personaId === '' ? undefined : personaId,
	};
}
