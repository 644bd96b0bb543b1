import type { IExecuteFunctions } from 'n8n-workflow';

import { itemParameterReader } from '../../nodes/shared/node/parameterReader';

describe('itemParameterReader', () => {
	const parameters = {
		url: 'https://a.example',
		body: '={{ $json.i }}',
		options: { timeout: 10, targetAction: '={{ $json.name }}' },
		headers: { pair: [{ name: 'X', value: 'y' }] },
	};
	const getNodeParameter = jest.fn((name: string, itemIndex: number) => `${name}@${itemIndex}`);
	const functions = {
		getNode: () => ({ parameters }),
		getNodeParameter,
	} as unknown as IExecuteFunctions;

	test('asks n8n once for a parameter without an expression, every item for one with an expression anywhere in it', () => {
		const read = itemParameterReader(functions);
		const reads = [0, 1, 2].map((item) =>
			['url', 'body', 'options', 'headers'].map((name) => read(name, item, null)),
		);
		expect(reads[2]).toEqual(['url@0', 'body@2', 'options@2', 'headers@0']);
		expect(getNodeParameter.mock.calls.filter(([name]) => name === 'url')).toHaveLength(1);
		expect(getNodeParameter.mock.calls.filter(([name]) => name === 'headers')).toHaveLength(1);
		expect(getNodeParameter.mock.calls.filter(([name]) => name === 'body')).toHaveLength(3);
		expect(getNodeParameter.mock.calls.filter(([name]) => name === 'options')).toHaveLength(3);
	});
});
