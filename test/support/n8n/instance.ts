/** One n8n process and its user folder: created, started, stopped; what it runs goes through the CLI and REST modules. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCli, type CliOptions } from './cli';
import { readExecutions, type ExecutionRow } from './database';
import { freePort, n8nBaseEnv, outsideTestRunner } from './env';
import { installPackageInto } from './install';
import { killProcesses, processTree } from './processes';
import { N8N_ENTRY, NODE_BIN, SHARED_NODES_DIR } from './paths';
import { activateThroughRest, setupOwner, waitForWebhook } from './rest';
import type { CliResult, ExecutionResult, N8nInstanceOptions, WorkflowJson } from './types';
import {
	activate,
	execute,
	importCredentials,
	importWorkflow,
	importWorkflows,
} from './workflowCli';

/** The n8n commands that run as long-lived processes: the server, a queue-mode worker, a webhook processor. */
export type N8nCommand = 'start' | 'worker' | 'webhook';

/** The line each command logs (at info level) once it is ready. */
const READY_LINE: Record<N8nCommand, string> = {
	start: 'Editor is now accessible via',
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests.',
};

export interface StartOptions {
	timeoutMs?: number;
	showOutput?: boolean;
	command?: N8nCommand;
	/** Arguments after the command, e.g. `--concurrency=5` for a worker. */
	args?: string[];
	/** Starts n8n as the leader of a process group of its own, so that kill() also ends its task runner. */
	ownProcessGroup?: boolean;
}

/** One n8n with its own user folder, database, store file and ports. */
export class N8nInstance {
	private server: ChildProcess | undefined;
	private serverLog = '';
	private processGroup = false;
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
		} else if (typeof options.nodes === 'object') {
			await cp(options.nodes.copyOf, nodesDir, { recursive: true, verbatimSymlinks: true });
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

	/** n8n's own SQLite database: its workflows, executions … */
	get databasePath(): string {
		return join(this.userFolder, '.n8n', 'database.sqlite');
	}

	/** The executions n8n recorded, from its database; readable while n8n runs, after it stopped or was killed. */
	executions(): ExecutionRow[] {
		return readExecutions(this.databasePath);
	}

	/** Runs one n8n CLI command to completion. */
	async cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
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

	/** Imports workflows with one n8n command and returns their ids in order. */
	async importWorkflows(workflows: Array<WorkflowJson | string>): Promise<string[]> {
		return await importWorkflows(this, workflows);
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
	 * Starts n8n and waits until it is ready. As a server (`start`, the
	 * default) that is once it has activated its published workflows: n8n
	 * listens (and answers its readiness check) before that, and says "Editor
	 * is now accessible" after. A queue-mode worker or webhook processor is
	 * ready once it says so and its readiness check answers.
	 */
	async start(options: StartOptions = {}): Promise<void> {
		const timeoutMs = options.timeoutMs ?? 120_000;
		const command = options.command ?? 'start';
		// The ready lines (and a worker's "Worker started execution") are logged at info level.
		const env = {
			...this.env,
			N8N_LOG_LEVEL: this.env.N8N_LOG_LEVEL === 'warn' ? 'info' : this.env.N8N_LOG_LEVEL,
		};
		// Only what this start logs counts: a restarted instance's log still holds the last ready line.
		const logStart = this.serverLog.length;
		const child = spawn(NODE_BIN, [N8N_ENTRY, command, ...(options.args ?? [])], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: options.ownProcessGroup ?? false,
		});
		this.server = child;
		this.processGroup = options.ownProcessGroup ?? false;
		const collect = (chunk: Buffer) => {
			this.serverLog += chunk.toString();
			if (options.showOutput) process.stdout.write(chunk);
		};
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		const readinessUrl = this.readinessUrl(command);
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (!isRunning(child))
				throw new Error(
					`n8n ${command} exited with ${child.exitCode ?? child.signalCode}:\n${this.serverLog}`,
				);
			if (this.serverLog.slice(logStart).includes(READY_LINE[command])) {
				if (readinessUrl === undefined) return;
				try {
					const response = await fetch(readinessUrl);
					if (response.ok) return;
				} catch {
					// Not answering yet.
				}
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`n8n ${command} did not become ready in ${timeoutMs} ms:\n${this.serverLog}`);
	}

	/** Where this instance answers n8n's readiness check (DB connected and migrated, Redis up in queue mode). */
	readinessUrl(command: N8nCommand = 'start'): string | undefined {
		if (command !== 'worker') return `${this.baseUrl}/healthz/readiness`;
		if (this.env.QUEUE_HEALTH_CHECK_ACTIVE !== 'true') return undefined;
		return `http://127.0.0.1:${this.env.QUEUE_HEALTH_CHECK_PORT ?? 5678}/healthz/readiness`;
	}

	get log(): string {
		return this.serverLog;
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

	/**
	 * Activates a workflow in the running n8n, as the editor's toggle does
	 * (needs setupOwner()); activate() instead publishes it for the next start.
	 */
	async activateRunning(workflowId: string): Promise<void> {
		await activateThroughRest(this, workflowId);
	}

	/** A request to the running server as the owner. */
	async request(path: string, init: RequestInit = {}): Promise<Response> {
		if (!this.authCookie) throw new Error('call setupOwner() first');
		const headers = new Headers(init.headers);
		headers.set('cookie', this.authCookie);
		return await fetch(`${this.baseUrl}${path}`, { ...init, headers });
	}

	/** The server's process id while it runs (its task runner is a child of it). */
	get pid(): number | undefined {
		return this.server && isRunning(this.server) ? this.server.pid : undefined;
	}

	/**
	 * Asks n8n to shut down (it ends its task runner itself); after 15 s it
	 * and whatever it started are killed, so nothing outlives the test.
	 */
	async stop(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (child && isRunning(child)) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			// Read now: once n8n is gone its children no longer name it as their parent.
			const tree = child.pid === undefined ? [] : processTree(child.pid);
			child.kill('SIGTERM');
			const timer = setTimeout(() => {
				this.signal(child, 'SIGKILL');
				killProcesses(tree);
			}, 15_000);
			await exited;
			clearTimeout(timer);
			killProcesses(tree.slice(1));
		}
	}

	/**
	 * Ends the server and its task runner at once, as a crash or an
	 * out-of-memory kill would: no shutdown of any kind. The runner would
	 * notice its broker is gone and exit on its own a moment later; killed
	 * with n8n, it cannot finish a task or reconnect to the n8n started next.
	 * Started in its own process group, the whole group goes, as everything
	 * in a container does.
	 */
	async kill(): Promise<void> {
		const child = this.server;
		this.server = undefined;
		if (child && isRunning(child)) {
			// With the whole group gone nothing holds its output open: 'close' means every line is in the log.
			const exited = new Promise((resolve) =>
				child.once(this.processGroup ? 'close' : 'exit', resolve),
			);
			const tree = child.pid === undefined ? [] : processTree(child.pid);
			this.signal(child, 'SIGKILL');
			killProcesses(tree);
			await exited;
		}
	}

	/** Signals n8n, and with it its task runner when it leads a process group of its own. */
	private signal(child: ChildProcess, signal: NodeJS.Signals): void {
		if (!this.processGroup || child.pid === undefined) {
			child.kill(signal);
			return;
		}
		try {
			process.kill(-child.pid, signal);
		} catch {
			// The group is gone already.
		}
	}

	/** Resolves when the server exits by itself (not through stop()). */
	async exited(): Promise<number> {
		const child = this.server;
		if (!child) return 0;
		if (!isRunning(child)) return child.exitCode ?? 1;
		return await new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
	}

	async dispose(): Promise<void> {
		await this.stop();
		if (this.temporary) await rm(this.userFolder, { recursive: true, force: true });
	}
}

/** Not exited: a process ended by a signal has no exit code but a signal code. */
function isRunning(child: ChildProcess): boolean {
	return child.exitCode === null && child.signalCode === null;
}
