import type { INodeProperties } from 'n8n-workflow';

import {
	checkRequiredArguments,
	commandArguments,
	resolveAliases,
} from '../../nodes/shared/commands/schema';
import type { CommandDefinition } from '../../nodes/shared/commands/types';
import { findCommand } from '../../nodes/shared/integrations/registry';

function commandWith(
	properties: INodeProperties[],
	sendCommandAliases?: Record<string, string>,
): CommandDefinition {
	return {
		integrationIdn: 'test',
		commandIdn: 'work',
		displayName: 'Work',
		description: 'test command',
		properties,
		sendCommandAliases,
		validate: () => null,
		run: async () => ({ status: 'completed', result: null }),
	};
}

const properties: INodeProperties[] = [
	{ displayName: 'Note', name: 'note', type: 'notice', default: '' },
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		description: 'Who gets it',
	},
	{
		displayName: 'Body',
		name: 'body',
		type: 'json',
		default: '{}',
		required: true,
		displayOptions: { show: { mode: ['json'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		default: {},
		options: [
			{ displayName: 'Retry', name: 'retry', type: 'boolean', default: false, required: true },
		],
	},
];

describe('command schema', () => {
	test("the arguments are the properties, a collection's fields each one of them, notices none", () => {
		expect(commandArguments(commandWith(properties))).toEqual([
			{ name: 'to', required: true, description: 'Who gets it' },
			{ name: 'body', required: false, description: '' },
			{ name: 'retry', required: false, description: '' },
		]);
	});

	test('a required argument that is missing or blank is an error', () => {
		const command = commandWith(properties);
		for (const to of [undefined, null, '  ']) {
			expect(() => checkRequiredArguments(command, to === undefined ? {} : { to })).toThrow(
				"Argument 'to' is required",
			);
		}
		expect(() => checkRequiredArguments(command, { to: 'x' })).not.toThrow();
	});

	test('commands that are required for Send Command say so in their properties', () => {
		const required = (integrationIdn: string, commandIdn: string) =>
			commandArguments(findCommand(integrationIdn, commandIdn))
				.filter((argument) => argument.required)
				.map((argument) => argument.name);
		expect(required('program_timer', 'set_timer')).toEqual(['personaId', 'timerName']);
		expect(required('program_timer', 'set_repeatable_timer')).toEqual([
			'personaId',
			'timerName',
			'interval',
		]);
		expect(required('program_timer', 'cancel_timer')).toEqual(['personaId', 'timerName']);
		expect(required('program_timer', 'list_timers')).toEqual([]);
		expect(required('http', 'send_request')).toEqual(['method', 'url']);
		expect(required('wts_chat', 'send_chatbot')).toEqual(['botKey']);
		expect(required('sandbox', 'anything')).toEqual([]);
	});

	test("Send Command's other spellings are renamed; giving both is an error", () => {
		const command = commandWith(properties, { phone: 'to' });
		expect(resolveAliases(command, { phone: '+1', x: 1 })).toEqual({ to: '+1', x: 1 });
		expect(resolveAliases(command, { to: '+2' })).toEqual({ to: '+2' });
		expect(() => resolveAliases(command, { phone: '+1', to: '+2' })).toThrow(
			"Argument 'phone' is given together with 'to'",
		);
		expect(resolveAliases(commandWith(properties), { phone: '+1' })).toEqual({ phone: '+1' });
	});
});
