import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { SessionStore } from '../../nodes/shared/store/types';
import type { WorkflowJson } from './n8n';

/** A workflow file of test/e2e/workflows with its placeholders replaced. */
export function workflowFrom(
	file: string,
	replacements: Record<string, string> = {},
): WorkflowJson {
	let text = readFileSync(join(__dirname, '..', 'e2e', 'workflows', file), 'utf8');
	for (const [placeholder, value] of Object.entries(replacements))
		text = text.split(placeholder).join(value);
	return JSON.parse(text) as WorkflowJson;
}

export interface CommandCases {
	id: string;
	integrationIdn: string;
	commandIdn: string;
	connectorIdn: string;
	/** One Send Command item per case: the case is its arguments. */
	cases: Array<Record<string, unknown>>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** The Manual Trigger a workflow run by `n8n execute` starts with. */
export function manualTriggerNode(id: string): WorkflowJson['nodes'][number] {
	return {
		id,
		name: 'Manual Trigger',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/** Manual Trigger → the cases as items → one Send Command node (Continue On Fail on), so every case gets its own output item. */
export function commandCasesWorkflow({
	id,
	integrationIdn,
	commandIdn,
	connectorIdn,
	cases,
	credentials,
}: CommandCases): WorkflowJson {
	const node = (suffix: number) => `8c1d2e3f-0002-4000-8000-${String(suffix).padStart(12, '0')}`;
	return {
		id,
		name: `E2E: ${integrationIdn} ${commandIdn} cases ${id}`,
		nodes: [
			manualTriggerNode(node(1)),
			{
				id: node(2),
				name: 'Cases',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { mode: 'raw', jsonOutput: JSON.stringify({ cases }), options: {} },
			},
			{
				id: node(3),
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [440, 0],
				parameters: { fieldToSplitOut: 'cases', options: {} },
			},
			{
				id: node(4),
				name: 'Send Command',
				type: 'n8n-nodes-agent-connectors.sendCommand',
				typeVersion: 1,
				position: [660, 0],
				continueOnFail: true,
				parameters: {
					integrationIdn,
					commandIdn,
					connectorIdn,
					argumentsMode: 'json',
					argumentsJson: '={{ JSON.stringify($json) }}',
				},
				...(credentials ? { credentials } : {}),
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Cases', type: 'main', index: 0 }]] },
			Cases: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: 'Send Command', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * What an observer workflow recorded: the arguments of the sandbox acts its
 * Send Command left under `connectorIdn`, oldest first.
 */
export async function recordedArguments(
	store: SessionStore,
	connectorIdn: string,
	limit = 1000,
): Promise<Array<Record<string, unknown>>> {
	const acts = await store.listActs({ connectorIdn, limit });
	return acts
		.sort((a, b) => a.createdAt - b.createdAt)
		.map((act) => act.arguments as Record<string, unknown>);
}

/** Reads until it has at least `count` entries or `timeoutMs` passed, and returns the last read. */
export async function readUntil<T>(
	read: () => Promise<T[]>,
	count: number,
	timeoutMs = 20_000,
): Promise<T[]> {
	const deadline = Date.now() + timeoutMs;
	let entries = await read();
	while (entries.length < count && Date.now() < deadline) {
		await new Promise((resolve) => setTimeout(resolve, 200));
		entries = await read();
	}
	return entries;
}

export interface KeyValueCommand {
	id: string;
	integrationIdn: string;
	commandIdn: string;
	connectorIdn: string;
	/** The arguments as SendCommand takes them: a name and a string each. */
	args: Record<string, string>;
	credentials?: Record<string, { id: string; name: string }>;
}

/** Manual Trigger → one Send Command with Key / Value arguments, as a user fills it in from a SendCommand call. */
export function keyValueCommandWorkflow({
	id,
	integrationIdn,
	commandIdn,
	connectorIdn,
	args,
	credentials,
}: KeyValueCommand): WorkflowJson {
	const node = (suffix: number) => `8c1d2e3f-0009-4000-8000-${String(suffix).padStart(12, '0')}`;
	return {
		id,
		name: `E2E: ${integrationIdn} ${commandIdn} ${id}`,
		nodes: [
			manualTriggerNode(node(1)),
			{
				id: node(2),
				name: 'Send Command',
				type: 'n8n-nodes-agent-connectors.sendCommand',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					integrationIdn,
					commandIdn,
					connectorIdn,
					argumentsMode: 'keyValue',
					arguments: {
						argument: Object.entries(args).map(([name, value]) => ({ name, value })),
					},
				},
				...(credentials ? { credentials } : {}),
			},
		],
		connections: {
			'Manual Trigger': { main: [[{ node: 'Send Command', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}
