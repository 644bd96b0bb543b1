/**
 * Node-against-node measurements in one real n8n: each contender is its own
 * workflow (Manual Trigger → items → the contender's node); each round runs
 * every contender once, rotating who goes first, and each node's own
 * execution time comes from n8n's run data. The median of the rounds counts.
 */
import type { N8nInstance, WorkflowJson } from '../test/support/n8n';

export interface Contender {
	name: string;
	node: Record<string, unknown>;
	/** The items the node gets, as JSON objects. */
	items: Array<Record<string, unknown>>;
	/** How many rounds it runs (a slow contender may run fewer); all rounds by default. */
	rounds?: number;
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** Manual Trigger → the contender's items → its node. */
export function contenderWorkflow(id: string, contender: Contender): WorkflowJson {
	return {
		id,
		name: `Bench: ${contender.name}`,
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'Items',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: {
					mode: 'raw',
					jsonOutput: JSON.stringify({ items: contender.items }),
					options: {},
				},
			},
			{
				id: 'b0000000-0000-4000-8000-000000000003',
				name: 'Split',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [400, 0],
				parameters: { fieldToSplitOut: 'items', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000004',
				name: contender.name,
				position: [600, 0],
				...contender.node,
			},
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: contender.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Runs the rounds and returns each contender's node execution times (ms).
 * Every run must output one item per input item; `afterRun` may check more
 * (e.g. what the server received) and throw.
 */
export async function measureContenders(
	n8n: N8nInstance,
	all: Contender[],
	options: { rounds: number; idPrefix: string; afterRun?: (contender: Contender) => void },
): Promise<Map<string, number[]>> {
	const times = new Map<string, number[]>(all.map((contender) => [contender.name, []]));
	const ids = new Map<string, string>();
	for (const [index, contender] of all.entries()) {
		ids.set(
			contender.name,
			await n8n.importWorkflow(
				contenderWorkflow(
					`${options.idPrefix}${String(index).padStart(16 - options.idPrefix.length, '0')}`,
					contender,
				),
			),
		);
	}
	for (let round = 0; round < options.rounds; round++) {
		// Rotate who goes first, so no node always meets a warm or a cold machine.
		for (const contender of all.map((_, index) => all[(index + round) % all.length])) {
			if (round >= (contender.rounds ?? options.rounds)) continue;
			const id = ids.get(contender.name) ?? '';
			// n8n prints the run as JSON among its log lines; a log line landing inside it spoils that one run.
			const execution = await n8n.execute(id).catch(async () => await n8n.execute(id));
			if (!execution.ok)
				throw new Error(`bench workflow failed: ${JSON.stringify(execution.error)}`);
			const run = execution.runData[contender.name][0] as {
				executionTime?: number;
				data?: { main: unknown[][] };
			};
			const answered = run.data?.main[0]?.length ?? 0;
			if (answered !== contender.items.length)
				throw new Error(
					`${contender.name} output ${answered} items, expected ${contender.items.length}`,
				);
			options.afterRun?.(contender);
			times.get(contender.name)?.push(Number(run.executionTime));
		}
	}
	return times;
}

/** One line per contender: median time, items per second, and the ratio to the first contender (the baseline). */
export function contenderLines(
	all: Contender[],
	times: Map<string, number[]>,
	unit = 'items',
): string[] {
	const rate = (contender: Contender) =>
		(contender.items.length / median(times.get(contender.name) ?? [])) * 1000;
	const baseline = rate(all[0]);
	return all.map((contender) => {
		const ms = median(times.get(contender.name) ?? []);
		const ratio =
			contender === all[0]
				? 'baseline'
				: `ratio ${(rate(contender) / baseline).toFixed(2)}x ${unit}/s`;
		const rounds = (times.get(contender.name) ?? []).join(' ');
		const name = `${contender.name} [${contender.items.length}]`;
		return `  ${name.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms   ${rate(contender).toFixed(0).padStart(6)} ${unit}/s   ${ratio}   (rounds: ${rounds} ms)`;
	});
}
