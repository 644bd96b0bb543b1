/** Credentials and workflows through n8n's CLI: imported, published, executed. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { parseExecution } from './execution';
import type { N8nInstance } from './instance';
import type { ExecutionResult, WorkflowJson } from './types';

/** Imports credentials with their plain data (n8n encrypts them); the file holding the secrets is removed at once. */
export async function importCredentials(
	instance: N8nInstance,
	credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>,
): Promise<void> {
	const file = join(instance.userFolder, `credentials-${randomWorkflowId()}.json`);
	await writeFile(file, JSON.stringify(credentials));
	try {
		const result = await instance.cli(['import:credentials', `--input=${file}`]);
		if (result.code !== 0)
			throw new Error(
				`n8n import:credentials failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
			);
	} finally {
		await rm(file, { force: true });
	}
}

/** Imports a workflow (object or JSON file path) and returns its id. */
export async function importWorkflow(
	instance: N8nInstance,
	workflow: WorkflowJson | string,
): Promise<string> {
	const [id] = await importWorkflows(instance, [workflow]);
	return id;
}

/**
 * Imports workflows (objects or JSON file paths) with one n8n command, which
 * saves a start of n8n per workflow, and returns their ids in order.
 */
export async function importWorkflows(
	instance: N8nInstance,
	workflows: Array<WorkflowJson | string>,
): Promise<string[]> {
	const folder = await mkdtemp(join(instance.userFolder, 'import-'));
	try {
		const ids: string[] = [];
		for (const workflow of workflows) {
			const data: WorkflowJson =
				typeof workflow === 'string'
					? (JSON.parse(await readFile(workflow, 'utf8')) as WorkflowJson)
					: workflow;
			const id = data.id ?? randomWorkflowId();
			await writeFile(join(folder, `workflow-${id}.json`), JSON.stringify({ ...data, id }));
			ids.push(id);
		}
		const result = await instance.cli(['import:workflow', '--separate', `--input=${folder}`]);
		if (result.code !== 0) {
			throw new Error(
				`n8n import:workflow failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
			);
		}
		return ids;
	} finally {
		await rm(folder, { recursive: true, force: true });
	}
}

/**
 * Publishes (activates) an imported workflow, so that the next `start`
 * runs its triggers and registers its production webhooks.
 */
export async function activate(instance: N8nInstance, workflowId: string): Promise<void> {
	const result = await instance.cli(['publish:workflow', `--id=${workflowId}`]);
	if (result.code !== 0) {
		throw new Error(
			`n8n publish:workflow failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
		);
	}
}

/**
 * Executes an imported workflow that starts with a Manual Trigger, the
 * way `n8n execute` runs it, and returns n8n's run data.
 */
export async function execute(instance: N8nInstance, workflowId: string): Promise<ExecutionResult> {
	// `n8n execute` prints the run data through its logger at info level.
	const result = await instance.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
		env: { N8N_LOG_LEVEL: 'info' },
	});
	return parseExecution(result);
}

function randomWorkflowId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	let id = '';
	for (let index = 0; index < 16; index++)
		id += alphabet[Math.floor(Math.random() * alphabet.length)];
	return id;
}
