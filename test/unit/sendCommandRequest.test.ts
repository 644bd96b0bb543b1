import type { IExecuteFunctions } from 'n8n-workflow';

import { readCommandRequest } from '../../nodes/SendCommand/request';

function functionsWith(parameters: Record<string, unknown>): IExecuteFunctions {
	return {
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) =>
			name === 'arguments.argument'
				? ((parameters.arguments as { argument?: unknown } | undefined)?.argument ?? fallback)
				: (parameters[name] ?? fallback),
	} as unknown as IExecuteFunctions;
}

const base = { integrationIdn: 'sandbox', commandIdn: 'send_message', connectorIdn: 'sms' };

describe('Send Command parameters', () => {
	test('key / value arguments become strings, as SendCommand passes them', () => {
		const request = readCommandRequest(
			functionsWith({
				...base,
				argumentsMode: 'keyValue',
				arguments: {
					argument: [
						{ name: 'interval', value: 120 },
						{ name: 'repeatable', value: false },
						{ name: ' text ', value: 'hi' },
					],
				},
			}),
			0,
		);
		expect(request.arguments).toEqual({ interval: '120', repeatable: 'false', text: 'hi' });
		expect(request.personaId).toBeUndefined();
	});

	test('an argument given twice is an error naming it', () => {
		const functions = functionsWith({
			...base,
			arguments: {
				argument: [
					{ name: 'text', value: 'a' },
					{ name: 'text', value: 'b' },
				],
			},
		});
		expect(() => readCommandRequest(functions, 0)).toThrow("Argument 'text' is given twice");
	});

	test('an argument without a name is an error', () => {
		const functions = functionsWith({
			...base,
			arguments: { argument: [{ name: ' ', value: 'a' }] },
		});
		expect(() => readCommandRequest(functions, 0)).toThrow('An argument has no name');
	});

	test('JSON arguments keep their types', () => {
		const request = readCommandRequest(
			functionsWith({
				...base,
				argumentsMode: 'json',
				argumentsJson: '{"count": 2, "urgent": true}',
			}),
			0,
		);
		expect(request.arguments).toEqual({ count: 2, urgent: true });
	});

	test('JSON arguments that do not parse, or are not an object, are errors naming the field', () => {
		expect(() =>
			readCommandRequest(
				functionsWith({ ...base, argumentsMode: 'json', argumentsJson: '{"count": ' }),
				0,
			),
		).toThrow(/^Arguments \(JSON\) is not valid JSON/);
		expect(() =>
			readCommandRequest(
				functionsWith({ ...base, argumentsMode: 'json', argumentsJson: '[1]' }),
				0,
			),
		).toThrow('Arguments (JSON) must be a JSON object');
	});

	test('an empty command is an error', () => {
		expect(() => readCommandRequest(functionsWith({ ...base, commandIdn: ' ' }), 0)).toThrow(
			'Command is required',
		);
	});
});
