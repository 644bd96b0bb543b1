import type { INodeProperties } from 'n8n-workflow';

/**
 * A command's optional fields, grouped under Options in the editor (in
 * alphabetical order, as n8n lists a collection's fields); each is an
 * argument of its own (see schema.ts).
 */
export function optionsCollection(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}
