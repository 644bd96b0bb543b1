import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { NODE_BIN, N8nInstance, PROJECT_ROOT, freePort, outsideTestRunner } from '../support/n8n';

jest.setTimeout(300_000);

interface NodeTypeEntry {
	name: string;
	displayName: string;
}

async function waitUntilReady(
	baseUrl: string,
	child: ChildProcess,
	output: () => string,
): Promise<void> {
	const deadline = Date.now() + 240_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null)
			throw new Error(`npm start exited with ${child.exitCode}:\n${output()}`);
		try {
			if ((await fetch(`${baseUrl}/healthz/readiness`)).ok) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	throw new Error(`n8n from npm start did not become ready:\n${output()}`);
}

describe('npm start', () => {
	let userFolder: string;
	let child: ChildProcess | undefined;

	beforeAll(async () => {
		userFolder = await mkdtemp(join(tmpdir(), 'agent-connectors-start-'));
	});

	afterAll(async () => {
		if (child && child.exitCode === null) {
			const exited = new Promise((resolve) => child?.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		await rm(userFolder, { recursive: true, force: true });
	});

	test('serves the editor with Send Command in the node panel and the examples imported', async () => {
		const port = await freePort();
		let output = '';
		// The script npm start runs after building (the test run has built already).
		child = spawn(NODE_BIN, ['-r', './test/support/ts-register.js', 'scripts/start-n8n.ts'], {
			cwd: PROJECT_ROOT,
			env: {
				...outsideTestRunner(process.env),
				N8N_USER_FOLDER: userFolder,
				N8N_PORT: String(port),
				N8N_LOG_LEVEL: 'warn',
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		const baseUrl = `http://127.0.0.1:${port}`;
		await waitUntilReady(baseUrl, child, () => output);

		// A client of the running server, signed in as a new owner would be.
		const editor = N8nInstance.attach(userFolder, port);
		await editor.setupOwner();
		const nodeTypes = (await (await editor.request('/types/nodes.json')).json()) as NodeTypeEntry[];
		const sendCommand = nodeTypes.find(
			(type) => type.name === 'n8n-nodes-agent-connectors.sendCommand',
		);
		expect(sendCommand?.displayName).toBe('Send Command');

		const credentialTypes = (await (
			await editor.request('/types/credentials.json')
		).json()) as NodeTypeEntry[];
		expect(credentialTypes.map((type) => type.name)).toEqual(
			expect.arrayContaining(['agentTwilioApi', 'wtsChatApi']),
		);

		const workflows = (await (await editor.request('/rest/workflows')).json()) as {
			data: Array<{ name: string }>;
		};
		expect(workflows.data.map((workflow) => workflow.name)).toContain(
			'Example: Send Command (sandbox, no credentials)',
		);
		expect((await fetch(`${baseUrl}/`)).status).toBe(200);
	});
});
