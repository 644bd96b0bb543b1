/**
 * Send HTTP Request against n8n's built-in HTTP Request node: 2,000 items,
 * each a POST with a small JSON body to the same local server, both nodes in
 * the same real n8n. Each node's own execution time comes from n8n's run
 * data; each round runs every contender once, rotating who goes first, and
 * the median of the rounds is reported.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { N8nInstance, type WorkflowJson } from '../test/support/n8n';

const ITEMS = 2_000;
const ROUNDS = 5;

interface Contender {
	name: string;
	node: Record<string, unknown>;
}

function contenders(url: string): Contender[] {
	const body = '={{ JSON.stringify({ i: $json.i }) }}';
	return [
		{
			name: 'HTTP Request (n8n built-in)',
			node: {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody: body, options: {} },
			},
		},
		{
			name: 'Send HTTP Request (10 at once)',
			node: {
				type: 'n8n-nodes-agent-connectors.sendHttpRequest',
				typeVersion: 1,
				parameters: { method: 'POST', url, bodyType: 'json', body, mode: 'sync', concurrency: 10 },
			},
		},
		{
			name: 'Send HTTP Request (50 at once, default)',
			node: {
				type: 'n8n-nodes-agent-connectors.sendHttpRequest',
				typeVersion: 1,
				parameters: { method: 'POST', url, bodyType: 'json', body, mode: 'sync', concurrency: 50 },
			},
		},
	];
}

/** Manual Trigger → 2,000 items → one contender. */
function workflow(id: string, contender: Contender): WorkflowJson {
	const items = JSON.stringify({ items: Array.from({ length: ITEMS }, (_, i) => ({ i })) });
	return {
		id,
		name: `Bench: ${contender.name}`,
		nodes: [
			{ id: 'b0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'b0000000-0000-4000-8000-000000000002',
				name: 'Items',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [200, 0],
				parameters: { mode: 'raw', jsonOutput: items, options: {} },
			},
			{ id: 'b0000000-0000-4000-8000-000000000003', name: 'Split', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [400, 0], parameters: { fieldToSplitOut: 'items', options: {} } },
			{ id: 'b0000000-0000-4000-8000-000000000004', name: contender.name, position: [600, 0], ...contender.node },
		],
		connections: {
			Start: { main: [[{ node: 'Items', type: 'main', index: 0 }]] },
			Items: { main: [[{ node: 'Split', type: 'main', index: 0 }]] },
			Split: { main: [[{ node: contender.name, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

export async function benchHttpRequests(): Promise<void> {
	let received = 0;
	const server: Server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			received += 1;
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok":true}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bench`;
	const n8n = await N8nInstance.create({ nodes: 'install', env: { N8N_LOG_LEVEL: 'warn' } });
	try {
		const all = contenders(url);
		const times = new Map<string, number[]>(all.map((contender) => [contender.name, []]));
		const ids = new Map<string, string>();
		for (const [index, contender] of all.entries()) {
			ids.set(contender.name, await n8n.importWorkflow(workflow(`benchHttp${String(index).padStart(7, '0')}`, contender)));
		}
		for (let round = 0; round < ROUNDS; round++) {
			// Rotate who goes first, so no node always meets a warm or a cold machine.
			for (const contender of all.map((_, index) => all[(index + round) % all.length])) {
				const id = ids.get(contender.name) ?? '';
				// n8n prints the run as JSON among its log lines; a log line landing inside it spoils that one run.
				const execution = await n8n.execute(id).catch(async () => await n8n.execute(id));
				if (!execution.ok) throw new Error(`bench workflow failed: ${JSON.stringify(execution.error)}`);
				const run = execution.runData[contender.name][0] as { executionTime?: number; data?: { main: unknown[][] } };
				const answered = run.data?.main[0]?.length ?? 0;
				if (answered !== ITEMS) throw new Error(`${contender.name} output ${answered} items, expected ${ITEMS}`);
				times.get(contender.name)?.push(Number(run.executionTime));
			}
		}
		if (received < ITEMS * all.length * ROUNDS) throw new Error(`the server got ${received} requests, expected at least ${ITEMS * all.length * ROUNDS}`);
		const baseline = median(times.get(all[0].name) ?? []);
		const lines = [`HTTP requests (${ITEMS} items, POST with a JSON body to a local server; median of ${ROUNDS} rounds, node execution time)`];
		for (const contender of all) {
			const ms = median(times.get(contender.name) ?? []);
			const perSecond = (ITEMS / ms) * 1000;
			const ratio = contender === all[0] ? 'baseline' : `ratio ${(baseline / ms).toFixed(2)}x items/s`;
			const rounds = (times.get(contender.name) ?? []).join(' ');
			lines.push(`  ${contender.name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms   ${perSecond.toFixed(0).padStart(6)} items/s   ${ratio}   (rounds: ${rounds} ms)`);
		}
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await n8n.dispose();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
