/** One n8n process and its user folder: created, started, stopped; what it runs goes through the CLI and REST modules. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli } from './cli';
import { freePort, n8nBaseEnv, outsideTestRunner } from './env';
import { installPackageInto } from './install';
import { N8N_ENTRY, NODE_BIN, SHARED_NODES_DIR } from './paths';
import { setupOwner, waitForWebhook } from './rest';
import type { CliResult, ExecutionResult, N8nInstanceOptions, WorkflowJson } from './types';
import { activate, execute, importCredentials, importWorkflow } from './workflowCli';

/** One n8n with its own user folder, database, store file and ports. */
export class N8nInstance {
	private server: ChildProcess | undefined;
	private serverLog = '';
	private authCookie: string | undefined;

	private constructor(
		readonly userFolder: string,
		readonly port: number,
		readonly env: NodeJS.ProcessEnv,
		private readonly temporary: boolean,
	) {}

	static async create(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const temporary = options.userFolder === undefined;
		const userFolder =
			options.userFolder ?? (await mkdtemp(join(tmpdir(), 'agent-connectors-n8n-')));
		const nodesDir = join(userFolder, '.n8n', 'nodes');
		await mkdir(join(userFolder, '.n8n'), { recursive: true });
		if (options.nodes === 'install') {
			await installPackageInto(nodesDir);
		} else {
			await rm(nodesDir, { recursive: true, force: true });
			await symlink(SHARED_NODES_DIR, nodesDir, 'dir');
		}
		const port = options.port ?? (await freePort());
		const env: NodeJS.ProcessEnv = {
			...outsideTestRunner(process.env),
			...n8nBaseEnv(userFolder, port, await freePort()),
			...options.env,
		};
		return new N8nInstance(userFolder, port, env, temporary);
	}

	/** A handle on an n8n someone else started (e.g. npm start), for its REST API. */
	static attach(userFolder: string, port: number): N8nInstance {
		return new N8nInstance(userFolder, port, outsideTestRunner(process.env), false);
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The session store file the package writes in this instance (the default location). */
	get storePath(): string {
		return join(this.userFolder, '.n8n', 'agent-connectors.sqlite');
	}

	/** Runs one n8n CLI command to completion. */
	async cli(
		args: string[],
		options: { timeoutMs?: number; env?: Record<string, string> } = {},
	): Promise<CliResult> {
		return await runCli(this.env, args, options);
	}

	/** Imports credentials with their plain data (n8n encrypts them); the file holding the secrets is removed at once. */
	async importCredentials(
		credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>,
	): Promise<void> {
		await importCredentials(this, credentials);
	}

	/** Imports a workflow (object or JSON file path) and returns its id. */
	async importWorkflow(workflow: WorkflowJson | string): Promise<string> {
		return await importWorkflow(this, workflow);
	}

	/**
	 * Publishes (activates) an imported workflow, so that the next `start`
	 * runs its triggers and registers its production webhooks.
	 */
	async activate(workflowId: string): Promise<void> {
		await activate(this, workflowId);
	}

	/**
	 * Executes an imported workflow that starts with a Manual Trigger, the
	 * way `n8n execute` runs it, and returns n8n's run data.
	 */
	async execute(workflowId: string): Promise<ExecutionResult> {
		return await execute(this, workflowId);
	}

	/**
	 * Starts n8n as a server (editor, REST, webhooks) and waits until it has
	 * activated its published workflows: n8n listens (and answers its
	 * readiness check) before that, and says "Editor is now accessible" after.
	 */
	async start(options: { timeoutMs?: number; showOutput?: boolean } = {}): Promise<void> {
		const timeoutMs = options.timeoutMs ?? 120_000;
		// That line is logged at info level.
		const env = {
			...this.env,
			N8N_LOG_LEVEL: this.env.N8N_LOG_LEVEL === 'warn' ? 'info' : this.env.N8N_LOG_LEVEL,
		};
		const child = spawn(NODE_BIN, [N8N_ENTRY, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
		this.server = child;
		const collect = (chunk: Buffer) => {
			this.serverLog += chunk.toString();
			if (options.showOutput) process.stdout.write(chunk);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child.exitCode !== null)
				throw new Error(`n8n exited with ${child.exitCode}:\n${this.serverLog}`);
			if (this.serverLog.includes('Editor is now accessible via')) {
				try {
					const response = await fetch(`${this.baseUrl}/healthz/readiness`);
					if (response.ok) return;
				} catch {
					// Not answering yet.
				}
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`n8n did not become ready in ${timeoutMs} ms:\n${this.serverLog}`);
	}

	get log(): string {
		return this.serverLog;
	}

	/** The running server's process id (for reading its memory from /proc); undefined while stopped. */
	get pid(): number | undefined {
		return this.server?.pid;
	}

	/**
	 * Waits until a production webhook of an activated workflow is live: n8n
	 * activates published workflows shortly after it starts answering. The
	 * probe uses another HTTP method, so it never runs the workflow; n8n
	 * answers it with "did you mean …" once the path is registered.
	 */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		await waitForWebhook(this, path, method, timeoutMs);
	}

	/**
	 * Creates the instance owner through the REST API, as a new user does in
	 * the editor, and keeps the session cookie for `request`.
	 */
	async setupOwner(): Promise<void> {
		this.authCookie = await setupOwner(this);
	}

	/** A request to the running server as the owner. */
	async request(path: string, init: RequestInit = {}): Promise<Response> {
		if (!this.authCookie) throw new Error('call setupOwner() first');
		const headers = new Headers(init.headers);
		headers.set('cookie', this.authCookie);
		return await fetch(`${this.baseUrl}${path}`, { ...init, headers });
	}

	async stop(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (child && child.exitCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
	}

	/** Ends the server at once, as a crash or an out-of-memory kill would: no shutdown of any kind. */
	async kill(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (child && child.exitCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		}
	}

	/** Resolves when the server exits by itself (not through stop()). */
	async exited(): Promise<number> {
		const child = this.server;
		if (!child) return 0;
		if (child.exitCode !== null) return child.exitCode;
		return await new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
	}

	async dispose(): Promise<void> {
		await this.stop();
		if (this.temporary) await rm(this.userFolder, { recursive: true, force: true });
	}
}
