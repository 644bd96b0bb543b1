/**
 * `npm start`: n8n at http://localhost:5678 with this package installed the
 * way n8n installs community packages, and the example workflows imported.
 * The user folder (~/.n8n-agent-connectors-dev unless N8N_USER_FOLDER says
 * otherwise) is kept between starts, so accounts, credentials and edited
 * workflows survive; examples are imported once. It lies outside the
 * project so that the installed package cannot pick up the project's own
 * node_modules, as no real installation could.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { N8nInstance, PROJECT_ROOT, type WorkflowJson } from '../test/support/n8n';

const EXAMPLES_DIR = join(PROJECT_ROOT, 'examples');

async function importedExamples(file: string): Promise<Set<string>> {
	try {
		return new Set(JSON.parse(await readFile(file, 'utf8')) as string[]);
	} catch {
		return new Set();
	}
}

async function importExamples(n8n: N8nInstance): Promise<void> {
	const markerFile = join(n8n.userFolder, 'imported-examples.json');
	const done = await importedExamples(markerFile);
	for (const file of (await readdir(EXAMPLES_DIR))
		.filter((name) => name.endsWith('.json'))
		.sort()) {
		const workflow = JSON.parse(await readFile(join(EXAMPLES_DIR, file), 'utf8')) as WorkflowJson;
		if (workflow.id && done.has(workflow.id)) continue;
		const id = await n8n.importWorkflow(workflow);
		done.add(id);
		process.stdout.write(`Imported example workflow "${workflow.name}"\n`);
	}
	await writeFile(markerFile, JSON.stringify([...done], null, 2));
}

async function main(): Promise<void> {
	const userFolder = process.env.N8N_USER_FOLDER || join(homedir(), '.n8n-agent-connectors-dev');
	const port = Number(process.env.N8N_PORT || 5678);
	const n8n = await N8nInstance.create({
		userFolder,
		port,
		nodes: 'install',
		// The editor is for people on this machine; other settings as n8n's defaults.
		env: {
			N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL || 'info',
			N8N_LISTEN_ADDRESS: process.env.N8N_LISTEN_ADDRESS || '0.0.0.0',
		},
	});
	await importExamples(n8n);

	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.once(signal, () => void n8n.stop().then(() => process.exit(0)));
	}
	await n8n.start({ showOutput: true, timeoutMs: 300_000 });
	process.stdout.write(
		`\nn8n is ready at http://localhost:${port} with n8n-nodes-agent-connectors loaded.\n`,
	);
	process.exitCode = await n8n.exited();
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
	process.exit(1);
});
