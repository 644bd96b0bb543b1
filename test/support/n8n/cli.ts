/** Running one n8n CLI command to completion. */
import { spawn } from 'node:child_process';

import { freePort } from './env';
import { N8N_ENTRY, NODE_BIN } from './paths';
import type { CliResult } from './types';

export interface CliOptions {
	timeoutMs?: number;
	env?: Record<string, string>;
	/** Called with the command's process id once it started (e.g. to sample its memory). */
	onSpawn?: (pid: number) => void;
}

/** Runs one n8n CLI command to completion. */
export async function runCli(
	baseEnv: NodeJS.ProcessEnv,
	args: string[],
	options: CliOptions = {},
): Promise<CliResult> {
	const timeoutMs = options.timeoutMs ?? 120_000;
	// Its own task-runner port, so a CLI command can run beside the server.
	const env = { ...baseEnv, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env };
	return await new Promise((resolve, reject) => {
		const child = spawn(NODE_BIN, [N8N_ENTRY, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		if (child.pid !== undefined) options.onSpawn?.(child.pid);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(
				new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`),
			);
		}, timeoutMs);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code: code ?? -1, signal, stdout, stderr });
		});
	});
}
