import { NodeOperationError } from 'n8n-workflow';

import {
	CommandInputError,
	UnknownCommandError,
	toNodeError,
} from '../../nodes/shared/commands/errors';
import { runCommand, sendCommandFunctions } from '../support/runCommand';
import {
	isSessionResponseHeader,
	redactRequestHeaders,
	redactSecrets,
} from '../../nodes/shared/commands/redaction';
import {
	findCommand,
	findIntegration,
	listIntegrations,
	sendCommandCredentials,
} from '../../nodes/shared/integrations/registry';
import { integrationCredentials } from '../../nodes/shared/node/typedNode';
import type { CommandContext } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';
import { getAct } from '../store/reads';

const functions = sendCommandFunctions();

describe('command registry', () => {
	test('lists only integrations whose commands work, then the aliases other platforms use', () => {
		expect(listIntegrations().map((integration) => integration.integrationIdn)).toEqual([
			'sandbox',
			'program_timer',
			'http',
			'twilio_voice',
			'twilio_messenger',
			'wts_chat',
			'store',
			'twilio',
			'newo_voice',
		]);
	});

	test("an alias's commands are those of the integrations it stands for", () => {
		expect(findCommand('newo_voice', 'make_call').integrationIdn).toBe('twilio_voice');
		expect(findCommand('twilio', 'make_call').integrationIdn).toBe('twilio_voice');
		expect(findCommand('twilio', 'send_message').integrationIdn).toBe('twilio_messenger');
		expect(() => findCommand('newo_voice', 'send_message')).toThrow(
			"Unknown command 'send_message' for integration 'newo_voice'. Valid commands: make_call,",
		);
		expect(findIntegration('twilio').credential).toBe('agentTwilioApi');
	});

	test('an unknown command of a known integration is an error that lists its commands', () => {
		expect(() => findCommand('program_timer', 'set_alarm')).toThrow(
			"Unknown command 'set_alarm' for integration 'program_timer'. Valid commands: set_timer, set_repeatable_timer, cancel_timer, enable_timer, disable_timer, get_timer, list_timers",
		);
	});

	test('an unknown integration is an error that lists the valid ones', () => {
		expect(() => findIntegration('twilio_nope')).toThrow(
			new UnknownCommandError(
				"Unknown integration 'twilio_nope'. Valid integrations: sandbox, program_timer, http, twilio_voice, twilio_messenger, wts_chat, store, twilio, newo_voice",
				'integrationIdn',
				['sandbox', 'program_timer'],
			),
		);
	});

	test("Send Command asks for each integration's credential when that integration is chosen", () => {
		expect(sendCommandCredentials()).toEqual([
			{
				name: 'agentTwilioApi',
				required: true,
				displayOptions: {
					show: { integrationIdn: ['twilio_voice', 'twilio_messenger', 'twilio', 'newo_voice'] },
				},
			},
			{
				name: 'wtsChatApi',
				required: true,
				displayOptions: { show: { integrationIdn: ['wts_chat'] } },
			},
		]);
	});

	test("a typed node asks for its integration's credential, and for none without one", () => {
		expect(integrationCredentials(findIntegration('wts_chat'))).toEqual([
			{ name: 'wtsChatApi', required: true },
		]);
		expect(integrationCredentials(findIntegration('program_timer'))).toEqual([]);
	});

	test('the sandbox accepts any command name', () => {
		expect(findCommand('sandbox', 'make_call').commandIdn).toBe('*');
		expect(findCommand('sandbox', 'anything_at_all').integrationIdn).toBe('sandbox');
	});
});

describe('runCommand', () => {
	let store: MemoryStore;
	let context: CommandContext;

	beforeEach(() => {
		store = new MemoryStore();
		context = { store, timezone: 'UTC', itemIndex: 0, functions };
	});

	test('records a sandbox command as a completed act with its arguments and persona', async () => {
		const act = await runCommand(context, {
			integrationIdn: 'sandbox',
			commandIdn: 'send_message',
			connectorIdn: 'sms_connector',
			arguments: { text: 'hi', userPersonaId: 'persona-7' },
		});
		expect(act).toMatchObject({
			status: 'completed',
			personaId: 'persona-7',
			arguments: { text: 'hi', userPersonaId: 'persona-7' },
			result: { sandbox: true, delivered: false, commandIdn: 'send_message' },
		});
		expect(await getAct(store, act.id)).toEqual(act);
	});

	test("the node's Persona ID and persona arguments naming different personas are refused, naming both", async () => {
		await expect(
			runCommand(context, {
				integrationIdn: 'sandbox',
				commandIdn: 'x',
				connectorIdn: 'c',
				arguments: { personaId: 'from-argument' },
				personaId: 'from-node',
			}),
		).rejects.toThrow(
			`Persona ID "from-node" and argument 'personaId' "from-argument" name different personas`,
		);
		await expect(
			runCommand(context, {
				integrationIdn: 'sandbox',
				commandIdn: 'x',
				connectorIdn: 'c',
				arguments: { personaId: 'p1', userPersonaId: 'p2' },
			}),
		).rejects.toThrow(`argument 'personaId' "p1" and argument 'userPersonaId' "p2" name different`);
		expect(await store.listActs()).toEqual([]);
	});

	test('the same persona given in the field and an argument is one persona', async () => {
		const act = await runCommand(context, {
			integrationIdn: 'sandbox',
			commandIdn: 'x',
			connectorIdn: 'c',
			arguments: { userPersonaId: ' p1 ' },
			personaId: 'p1',
		});
		expect(act.personaId).toBe('p1');
	});

	test('a blank connector is rejected before anything is stored', async () => {
		await expect(
			runCommand(context, {
				integrationIdn: 'sandbox',
				commandIdn: 'x',
				connectorIdn: '  ',
				arguments: {},
			}),
		).rejects.toThrow(new CommandInputError('Connector IDN is required', 'connectorIdn'));
		expect(await store.listActs()).toEqual([]);
	});

	test('an unknown integration is rejected before anything is stored', async () => {
		await expect(
			runCommand(context, {
				integrationIdn: 'nope',
				commandIdn: 'x',
				connectorIdn: 'c',
				arguments: {},
			}),
		).rejects.toBeInstanceOf(UnknownCommandError);
		expect(await store.listActs()).toEqual([]);
	});
});

describe('secrets', () => {
	test('arguments named like secrets are redacted, others kept', () => {
		expect(
			redactSecrets({
				apiToken: 't',
				password: 'p',
				client_secret: 's',
				'x-api-key': 'k',
				Authorization: 'a',
				text: 'hello',
			}),
		).toEqual({
			apiToken: '[redacted]',
			password: '[redacted]',
			client_secret: '[redacted]',
			'x-api-key': '[redacted]',
			Authorization: '[redacted]',
			text: 'hello',
		});
	});
});

describe('secret request and response headers', () => {
	test('request headers carrying credentials, cookies or signatures are redacted, others kept', () => {
		expect(
			redactRequestHeaders({
				Authorization: 'Bearer t',
				Cookie: 'sid=1',
				'X-Vocode-Signature': 's',
				'X-Api-Key': 'k',
				'X-Test': 'yes',
			}),
		).toEqual({
			Authorization: '[redacted]',
			Cookie: '[redacted]',
			'X-Vocode-Signature': '[redacted]',
			'X-Api-Key': '[redacted]',
			'X-Test': 'yes',
		});
	});

	test('only Set-Cookie is dropped from responses', () => {
		expect(isSessionResponseHeader('Set-Cookie')).toBe(true);
		expect(isSessionResponseHeader('content-type')).toBe(false);
	});
});

describe('toNodeError', () => {
	test('an input error names the field and the item and keeps its hint', () => {
		const error = toNodeError(
			functions,
			new CommandInputError('Argument x is required', 'x', 'Give x'),
			4,
		);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Argument x is required (field 'x', item 4)");
		expect(error.description).toBe('Give x');
	});

	test('n8n errors pass through unchanged', () => {
		const original = new NodeOperationError(functions.getNode(), 'already an n8n error', {
			itemIndex: 1,
		});
		expect(toNodeError(functions, original, 1)).toBe(original);
	});
});
