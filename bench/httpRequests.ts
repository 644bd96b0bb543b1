/**
 * Send HTTP Request against n8n's built-in HTTP Request node: 2,000 items,
 * each a POST with a small JSON body to the same local server, both nodes in
 * the same real n8n (see contenders.ts for how rounds are run and timed).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { N8nInstance } from '../test/support/n8n';
import { contenderLines, measureContenders, type Contender } from './contenders';

const ITEMS = 2_000;
const ROUNDS = 5;

function contenders(url: string): Contender[] {
	const body = '={{ JSON.stringify({ i: $json.i }) }}';
	const items = Array.from({ length: ITEMS }, (_, i) => ({ i }));
	return [
		{
			name: 'HTTP Request (n8n built-in)',
			items,
			node: {
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: {
					method: 'POST',
					url,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: body,
					options: {},
				},
			},
		},
		{
			name: 'Send HTTP Request (10 at once)',
			items,
			node: {
				type: 'n8n-nodes-agent-connectors.sendHttpRequest',
				typeVersion: 1,
				parameters: { method: 'POST', url, bodyType: 'json', body, mode: 'sync', concurrency: 10 },
			},
		},
		{
			name: 'Send HTTP Request (50 at once, default)',
			items,
			node: {
				type: 'n8n-nodes-agent-connectors.sendHttpRequest',
				typeVersion: 1,
				parameters: { method: 'POST', url, bodyType: 'json', body, mode: 'sync', concurrency: 50 },
			},
		},
	];
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
		const times = await measureContenders(n8n, all, { rounds: ROUNDS, idPrefix: 'benchHttp' });
		if (received < ITEMS * all.length * ROUNDS)
			throw new Error(
				`the server got ${received} requests, expected at least ${ITEMS * all.length * ROUNDS}`,
			);
		const lines = [
			`HTTP requests (${ITEMS} items, POST with a JSON body to a local server; median of ${ROUNDS} rounds, node execution time)`,
		];
		lines.push(...contenderLines(all, times));
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		await n8n.dispose();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
