/**
 * n8n in queue mode on this machine, the way it runs across hosts: one main
 * (`n8n start`), workers (`n8n worker`) and a webhook processor
 * (`n8n webhook`), each with its OWN user folder and the package installed
 * in it as a community package, so that nothing is shared through files;
 * PostgreSQL (a fresh database) as n8n's database and therefore as the
 * package's store, Redis (a database index of its own) as n8n's queue, one
 * encryption key.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
	claimRedisDatabase,
	CLUSTER_NAME_PREFIX,
	type ClaimedRedisDatabase,
} from '../redisDatabase';
import { REDIS_HOST, REDIS_PORT } from '../redis';
import {
	createTestDatabase,
	ensurePostgresRunning,
	n8nDatabaseEnv,
	query,
	restartPostgres,
	type TestDatabase,
} from '../postgres';
import { freePort } from './env';
import { N8nInstance, type N8nCommand } from './instance';
import { SHARED_NODES_DIR } from './paths';
import type { WorkflowJson } from './types';

export type CredentialImport = {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
};

export interface QueueClusterOptions {
	/** Imported before n8n starts. */
	credentials?: CredentialImport[];
	/** Imported before n8n starts, and activated through the main's REST API once it runs. */
	workflows?: WorkflowJson[];
	/** More environment for every process. */
	env?: Record<string, string>;
	workers?: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`). */
	concurrency?: number;
}

/** One process of the cluster: its name, its n8n command and the instance that runs it. */
export interface ClusterMember {
	name: string;
	command: N8nCommand;
	instance: N8nInstance;
}

/** How every worker announces the execution it takes from the queue (info level). */
const WORKER_STARTED = /Worker started execution (\d+) \(job /g;

export class QueueCluster {
	/** Jobs each worker runs at once. */
	private concurrency = 5;

	private constructor(
		readonly database: TestDatabase,
		private readonly redis: ClaimedRedisDatabase,
		readonly members: ClusterMember[],
	) {}

	get main(): N8nInstance {
		return this.member('main').instance;
	}

	get webhook(): N8nInstance {
		return this.member('webhook').instance;
	}

	get workerNames(): string[] {
		return this.members.filter((m) => m.command === 'worker').map((m) => m.name);
	}

	member(name: string): ClusterMember {
		const found = this.members.find((candidate) => candidate.name === name);
		if (found === undefined) throw new Error(`The cluster has no process named ${name}`);
		return found;
	}

	/** A production webhook URL, on the webhook processor as a load balancer would route it. */
	webhookUrl(path: string): string {
		return `${this.webhook.baseUrl}/webhook/${path}`;
	}

	static async start(options: QueueClusterOptions = {}): Promise<QueueCluster> {
		const id = randomBytes(6).toString('hex');
		await ensurePostgresRunning();
		// Named apart from the store tests' databases, so that clearing up theirs never takes this one.
		const database = await createTestDatabase('n8n_queue_e2e');
		let redis: ClaimedRedisDatabase | undefined;
		try {
			redis = await claimRedisDatabase();
		} finally {
			if (redis === undefined) await database.drop();
		}
		const members: ClusterMember[] = [];
		const cluster = new QueueCluster(database, redis, members);
		let started = false;
		try {
			const webhookPort = await freePort();
			const common: Record<string, string> = {
				...n8nDatabaseEnv(database.url),
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: REDIS_HOST,
				QUEUE_BULL_REDIS_PORT: String(REDIS_PORT),
				QUEUE_BULL_REDIS_DB: String(redis.index),
				QUEUE_BULL_PREFIX: `${CLUSTER_NAME_PREFIX}-${id}-bull`,
				// Pub/sub channels ignore the database index; n8n names them after this prefix.
				N8N_REDIS_KEY_PREFIX: `${CLUSTER_NAME_PREFIX}-${id}`,
				N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
				// Everyone builds public webhook URLs (and Twilio signs them) with the webhook processor's address.
				WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
				// A killed worker's jobs count as stalled within 20 s, not the default 90; a live
				// worker renews its locks every 3 s, well before they run out, even on a busy machine.
				QUEUE_WORKER_LOCK_DURATION: '15000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '3000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
				...options.env,
			};
			// Each process gets its own copy of the package as the test run installed it (globalSetup),
			// the files a community-package install leaves, without running npm four times more.
			const copyOf = SHARED_NODES_DIR;
			const main = await N8nInstance.create({ nodes: { copyOf }, env: common });
			members.push({ name: 'main', command: 'start', instance: main });
			for (let index = 1; index <= (options.workers ?? 2); index++) {
				const healthPort = await freePort();
				const worker = await N8nInstance.create({
					nodes: { copyOf },
					env: {
						...common,
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					},
				});
				members.push({ name: `worker-${index}`, command: 'worker', instance: worker });
			}
			const webhook = await N8nInstance.create({
				nodes: { copyOf },
				port: webhookPort,
				env: common,
			});
			members.push({ name: 'webhook', command: 'webhook', instance: webhook });

			// The CLI migrates the new database once, before any process starts.
			if (options.credentials?.length) await main.importCredentials(options.credentials);
			const workflowIds = options.workflows?.length
				? await main.importWorkflows(options.workflows)
				: [];
			cluster.concurrency = options.concurrency ?? 5;
			await Promise.all(members.map((member) => cluster.startMember(member)));
			await main.setupOwner();
			for (const workflowId of workflowIds) await main.activateRunning(workflowId);
			started = true;
			return cluster;
		} finally {
			// Whatever failed, nothing of a half-started cluster stays behind.
			if (!started) await cluster.dispose();
		}
	}

	private async startMember(member: ClusterMember): Promise<void> {
		await member.instance.start({
			command: member.command,
			args: member.command === 'worker' ? [`--concurrency=${this.concurrency}`] : [],
			ownProcessGroup: true,
			timeoutMs: 180_000,
		});
	}

	/** Ends one process at once (`kill -9` of it and its task runner), as a crash would. */
	async kill(name: string): Promise<void> {
		await this.member(name).instance.kill();
	}

	/** Stops one process the way an operator would (SIGTERM, n8n's graceful shutdown). */
	async stop(name: string): Promise<void> {
		await this.member(name).instance.stop();
	}

	/** Starts a process that was killed or stopped again, with its folder and ports. */
	async restart(name: string): Promise<void> {
		await this.startMember(this.member(name));
	}

	/**
	 * Which worker took each execution from the queue, by execution id, read
	 * from the workers' logs (a restarted worker's log goes on).
	 */
	executionsByWorker(): Map<string, string> {
		const ranBy = new Map<string, string>();
		for (const member of this.members) {
			if (member.command !== 'worker') continue;
			for (const match of member.instance.log.matchAll(WORKER_STARTED))
				ranBy.set(match[1], member.name);
		}
		return ranBy;
	}

	/** The worker that took this execution from the queue, if any did. */
	ranBy(executionId: string | number): string | undefined {
		return this.executionsByWorker().get(String(executionId));
	}

	/** Rows of a query on n8n's database (its tables and the store's schema). */
	async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
		return (await query(this.database.url, sql, params)) as T[];
	}

	/**
	 * Restarts PostgreSQL under the running cluster (every process's
	 * connections drop) and waits until every process says it is ready again.
	 * PostgreSQL is back when this returns, even when waiting fails.
	 */
	async restartPostgres(): Promise<void> {
		try {
			await restartPostgres();
		} finally {
			await ensurePostgresRunning();
		}
		await this.waitUntilReady();
	}

	/** Waits until every running process answers its readiness check (database and Redis connected). */
	async waitUntilReady(timeoutMs = 120_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (const member of this.members) {
			const url = member.instance.readinessUrl(member.command);
			if (url === undefined || member.instance.pid === undefined) continue;
			for (;;) {
				try {
					if ((await fetch(url)).ok) break;
				} catch {
					// Not answering yet.
				}
				if (Date.now() > deadline)
					throw new Error(
						`${member.name} is not ready again:\n${member.instance.log.slice(-5000)}`,
					);
				await new Promise((resolve) => setTimeout(resolve, 250));
			}
		}
	}

	/**
	 * Stops every process, drops the database and empties the Redis database.
	 * With N8N_E2E_LOG_DIR set, each process's log is kept there first
	 * (`<database>-<process>.log`), for a run that needs explaining.
	 */
	async dispose(): Promise<void> {
		await Promise.all(this.members.map((member) => member.instance.stop()));
		const logDir = process.env.N8N_E2E_LOG_DIR;
		if (logDir) {
			await mkdir(logDir, { recursive: true });
			for (const member of this.members)
				await writeFile(
					join(logDir, `${this.database.name}-${member.name}.log`),
					member.instance.log,
				);
		}
		await Promise.all(this.members.map((member) => member.instance.dispose()));
		await ensurePostgresRunning();
		await this.database.drop();
		await this.redis.release();
	}
}
