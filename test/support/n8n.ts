/**
 * Runs this package inside a real n8n, the way users run it: the built
 * package installed into `<user folder>/.n8n/nodes` exactly as n8n's own
 * community-package installer lays it out, an isolated user folder per
 * instance, SQLite as n8n's database.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-agent-connectors';
export const N8N_VERSION = process.env.N8N_VERSION ?? '2.40.7';
export const N8N_DIR =
	process.env.N8N_CACHE_DIR ?? join(PROJECT_ROOT, '.cache', `n8n-${N8N_VERSION}`);
/**
 * The nodes folder every test instance links to, filled once per test run.
 * It must lie outside the project: from inside, Node's upward module lookup
 * would find the project's own node_modules (its dev copy of n8n-workflow)
 * before the copy n8n provides, which no real installation does.
 */
export const SHARED_NODES_DIR = join(
	tmpdir(),
	`agent-connectors-e2e-${createHash('sha1').update(PROJECT_ROOT).digest('hex').slice(0, 10)}`,
	'nodes',
);

/** Node 24 from the `node` devDependency: n8n 2.x refuses older Node. */
export const NODE_BIN = join(PROJECT_ROOT, 'node_modules', 'node', 'bin', 'node');
const N8N_ENTRY = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

/** Type prefix users' workflows carry for a community package. */
export const NODE_TYPE_PREFIX = `${PACKAGE_NAME}.`;

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => resolve(port));
		});
	});
}

function npmEnv(): NodeJS.ProcessEnv {
	const nodeBinDir = join(PROJECT_ROOT, 'node_modules', 'node', 'bin');
	return { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH ?? ''}` };
}

/**
 * Installs the built package (dist/) into `nodesDir` the way n8n's
 * community-package installer does: the packed tarball extracted into
 * `node_modules/<name>`, dev / peer / optional dependencies stripped from its
 * package.json, then `npm install` inside it with n8n's flags.
 */
export async function installPackageInto(nodesDir: string): Promise<string> {
	const packDir = await mkdtemp(join(tmpdir(), 'agent-connectors-pack-'));
	try {
		const { stdout } = await run(
			'npm',
			['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir],
			{
				cwd: PROJECT_ROOT,
				env: npmEnv(),
			},
		);
		const tarball = join(packDir, stdout.trim().split('\n').pop() ?? '');
		const packageDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
		await rm(packageDir, { recursive: true, force: true });
		await mkdir(packageDir, { recursive: true });
		await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

		const manifestPath = join(packageDir, 'package.json');
		const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
		delete manifest.devDependencies;
		delete manifest.peerDependencies;
		delete manifest.optionalDependencies;
		await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
		await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: packageDir, env: npmEnv() },
		);
		assertUsesN8nsOwnWorkflowPackage(packageDir);
		const version = String(manifest.version);
		await writeFile(
			join(nodesDir, 'package.json'),
			JSON.stringify(
				{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } },
				null,
				2,
			),
		);
		return packageDir;
	} finally {
		await rm(packDir, { recursive: true, force: true });
	}
}

/**
 * An installed community package must get `n8n-workflow` from n8n itself
 * (n8n puts its own modules on NODE_PATH); a copy found on the way up from
 * the package folder would shadow it and break n8n's `instanceof` checks.
 */
function assertUsesN8nsOwnWorkflowPackage(packageDir: string): void {
	let shadowing: string | undefined;
	try {
		shadowing = createRequire(join(packageDir, 'package.json')).resolve('n8n-workflow');
	} catch {
		return;
	}
	throw new Error(
		`${packageDir} would load n8n-workflow from ${shadowing} instead of n8n's own copy`,
	);
}

export interface N8nInstanceOptions {
	/** Extra environment for n8n (e.g. AGENT_CONNECTORS_STORE, GENERIC_TIMEZONE). */
	env?: Record<string, string>;
	/** A fixed user folder (kept on dispose); a fresh temporary one by default. */
	userFolder?: string;
	port?: number;
	/**
	 * How the package gets into `<user folder>/.n8n/nodes`: linked to the
	 * folder the test run filled (default), or installed afresh from dist/.
	 */
	nodes?: 'link' | 'install';
}

export interface CliResult {
	code: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

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
		const timeoutMs = options.timeoutMs ?? 120_000;
		// Its own task-runner port, so a CLI command can run beside the server.
		const env = { ...this.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env };
		return await new Promise((resolve, reject) => {
			const child = spawn(NODE_BIN, [N8N_ENTRY, ...args], {
				env,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
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

	/** Imports credentials with their plain data (n8n encrypts them); the file holding the secrets is removed at once. */
	async importCredentials(
		credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>,
	): Promise<void> {
		const file = join(this.userFolder, `credentials-${randomWorkflowId()}.json`);
		await writeFile(file, JSON.stringify(credentials));
		try {
			const result = await this.cli(['import:credentials', `--input=${file}`]);
			if (result.code !== 0)
				throw new Error(
					`n8n import:credentials failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
				);
		} finally {
			await rm(file, { force: true });
		}
	}

	/** Imports a workflow (object or JSON file path) and returns its id. */
	async importWorkflow(workflow: WorkflowJson | string): Promise<string> {
		const data: WorkflowJson =
			typeof workflow === 'string'
				? (JSON.parse(await readFile(workflow, 'utf8')) as WorkflowJson)
				: workflow;
		const id = data.id ?? randomWorkflowId();
		const file = join(this.userFolder, `workflow-${id}.json`);
		await writeFile(file, JSON.stringify({ ...data, id }));
		const result = await this.cli(['import:workflow', `--input=${file}`]);
		if (result.code !== 0) {
			throw new Error(
				`n8n import:workflow failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
			);
		}
		return id;
	}

	/**
	 * Publishes (activates) an imported workflow, so that the next `start`
	 * runs its triggers and registers its production webhooks.
	 */
	async activate(workflowId: string): Promise<void> {
		const result = await this.cli(['publish:workflow', `--id=${workflowId}`]);
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
	async execute(workflowId: string): Promise<ExecutionResult> {
		// `n8n execute` prints the run data through its logger at info level.
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], {
			env: { N8N_LOG_LEVEL: 'info' },
		});
		return parseExecution(result);
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

	/**
	 * Waits until a production webhook of an activated workflow is live: n8n
	 * activates published workflows shortly after it starts answering. The
	 * probe uses another HTTP method, so it never runs the workflow; n8n
	 * answers it with "did you mean …" once the path is registered.
	 */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		const probeMethod = method === 'GET' ? 'DELETE' : 'GET';
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const response = await fetch(`${this.baseUrl}/webhook/${path}`, { method: probeMethod });
			const body = await response.text();
			if (body.includes(`Did you mean to make a ${method} request`)) return;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(
			`webhook ${method} ${path} was not registered within ${timeoutMs} ms:\n${this.serverLog}`,
		);
	}

	/**
	 * Creates the instance owner through the REST API, as a new user does in
	 * the editor, and keeps the session cookie for `request`.
	 */
	async setupOwner(): Promise<void> {
		const response = await fetch(`${this.baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(TEST_OWNER),
		});
		if (!response.ok)
			throw new Error(`owner setup failed: ${response.status} ${await response.text()}`);
		const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
		if (!cookie) throw new Error('owner setup returned no n8n-auth cookie');
		this.authCookie = cookie.split(';')[0];
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

// A throwaway account for an n8n that lives only as long as one test.
const TEST_OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: `Owner-${randomUUID()}`,
};

/**
 * The environment without the test runner's marks: n8n treats
 * NODE_ENV=test (which Jest sets) as its own unit tests and then refuses to
 * load nodes and stays silent.
 */
export function outsideTestRunner(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const copy: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(env)) {
		if (name === 'NODE_ENV' || name.startsWith('JEST_')) continue;
		copy[name] = value;
	}
	return copy;
}

/** The environment every n8n run here gets: isolated, quiet, no outside calls. */
export function n8nBaseEnv(
	userFolder: string,
	port: number,
	brokerPort: number,
): Record<string, string> {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_LOG_LEVEL: 'warn',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
	};
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

export interface NodeRun {
	data?: { main: Array<OutputItem[] | null> };
	error?: { message: string; description?: string; [key: string]: unknown };
	executionStatus?: string;
}

export interface ExecutionResult {
	/** Whether n8n reported success. */
	ok: boolean;
	runData: Record<string, NodeRun[]>;
	/** The error n8n reported for the whole execution, when it failed. */
	error?: { message: string; description?: string; node?: { name: string } };
	raw: CliResult;
}

function randomWorkflowId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	let id = '';
	for (let index = 0; index < 16; index++)
		id += alphabet[Math.floor(Math.random() * alphabet.length)];
	return id;
}

interface RunJson {
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: ExecutionResult['error'] } };
	status?: string;
	finished?: boolean;
}

/**
 * Finds the run JSON n8n printed among its log lines: pretty-printed, it
 * starts with a line `{` and ends with a line `}` at the first column.
 */
function extractRunJson(text: string): RunJson | undefined {
	const lines = text.split('\n');
	for (let first = 0; first < lines.length; first++) {
		if (lines[first].trimEnd() !== '{') continue;
		for (let last = first + 1; last < lines.length; last++) {
			if (lines[last].trimEnd() !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(first, last + 1).join('\n')) as RunJson;
				if (parsed?.data?.resultData) return parsed;
			} catch {
				// Not the whole object yet; try the next closing line.
			}
		}
	}
	return undefined;
}

/**
 * n8n 2.40.7's `execute` command crashes with SIGSEGV while the process exits
 * when its default expression engine (isolated-vm) is on: the run has
 * finished and its JSON is printed before the crash (seen with the prebuilt
 * and with a source-built isolated-vm, on Node 24.19 and 24.21). So a
 * SIGSEGV counts as a normal exit only once the complete run JSON is there.
 */
function exitedNormally(result: CliResult, run: RunJson | undefined): boolean {
	if (result.code === 0) return true;
	return result.signal === 'SIGSEGV' && run?.finished !== undefined;
}

function parseExecution(result: CliResult): ExecutionResult {
	const run = extractRunJson(`${result.stdout}\n${result.stderr}`);
	if (exitedNormally(result, run) && run?.status === 'success') {
		return { ok: true, runData: run.data.resultData.runData, raw: result };
	}
	if (run) {
		return {
			ok: false,
			runData: run.data.resultData.runData,
			error: run.data.resultData.error,
			raw: result,
		};
	}
	throw new Error(
		`n8n execute failed (exit ${result.code}, signal ${result.signal}) without run data:\n${result.stdout}\n${result.stderr}`,
	);
}

/** The items a node put on one of its outputs in its first run. */
export function outputOf(execution: ExecutionResult, nodeName: string, output = 0): OutputItem[] {
	const runs = execution.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node '${nodeName}' did not run; ran: ${Object.keys(execution.runData).join(', ')}`,
		);
	}
	return runs[0].data?.main[output] ?? [];
}
