/**
 * Several OS processes that run scenarios of child.ts against the same store
 * (one SQLite file, or one PostgreSQL schema) at the same moment, to prove
 * the store's locking holds across processes (n8n main + workers), not just
 * within one event loop. The processes are started once and reused, because
 * loading TypeScript takes far longer than any scenario.
 */

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { StoreLocation } from '../../nodes/shared/store';

export interface ScenarioArgs {
	open: Record<string, never>;
	upsertActor: { keys: number };
	claimTimers: { batch: number };
	fireDueTimers: { batch: number };
	flagCas: { sessionIds: string[] };
	lease: { sessionIds: string[] };
	publish: { count: number };
	/** Reads one consumer's events as a trigger does, until `count` have come or `withinMs` passed. */
	readAll: { count: number; limit: number; withinMs: number };
}

export interface ScenarioResults {
	open: 'opened';
	upsertActor: Array<{
		actorId: string;
		personaId: string;
		actorCreated: boolean;
		personaCreated: boolean;
	}>;
	claimTimers: string[];
	fireDueTimers: string[];
	flagCas: boolean[];
	/** Per session: the token this process took, or null. */
	lease: Array<string | null>;
	publish: number[];
	/** The seqs read, in the order they were read. */
	readAll: number[];
}

export type ScenarioName = keyof ScenarioArgs;

export interface RaceCommand {
	location: StoreLocation;
	scenario: ScenarioName;
	args: unknown;
}

type Reply = { result: unknown } | { error: string };

const ROOT = join(__dirname, '..', '..');
const REGISTER = join(ROOT, 'test', 'support', 'ts-register.js');
const CHILD = join(__dirname, 'child.ts');

interface Waiter {
	resolve(line: string): void;
	reject(error: Error): void;
}

/** One child process; replies come back in the order commands were sent. */
class Racer {
	private readonly child: ChildProcessWithoutNullStreams;
	private readonly waiting: Waiter[] = [];
	private readonly exited: Promise<void>;
	private stderr = '';

	constructor() {
		this.child = spawn(process.execPath, ['-r', REGISTER, CHILD], { cwd: ROOT });
		this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
			this.stderr += chunk;
		});
		createInterface({ input: this.child.stdout }).on('line', (line) =>
			this.waiting.shift()?.resolve(line),
		);
		this.exited = new Promise((resolve) => {
			this.child.on('close', (code) => {
				const error = new Error(
					`Racing process ${String(this.child.pid)} exited (${String(code)}): ${this.stderr}`,
				);
				for (const waiter of this.waiting.splice(0)) waiter.reject(error);
				resolve();
			});
		});
	}

	nextLine(): Promise<string> {
		return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
	}

	async send(command: RaceCommand): Promise<unknown> {
		const reply = this.nextLine();
		this.child.stdin.write(`${JSON.stringify(command)}\n`);
		const parsed = JSON.parse(await reply) as Reply;
		if ('error' in parsed) {
			throw new Error(
				`${command.scenario} failed in process ${String(this.child.pid)}: ${parsed.error}`,
			);
		}
		return parsed.result;
	}

	stop(): Promise<void> {
		this.child.stdin.end();
		return this.exited;
	}
}

export class ProcessPool {
	private constructor(private readonly racers: Racer[]) {}

	/** Starts `count` processes and waits until each has loaded the store code. */
	static async start(count: number): Promise<ProcessPool> {
		const racers = Array.from({ length: count }, () => new Racer());
		const greetings = await Promise.all(racers.map((racer) => racer.nextLine()));
		if (greetings.some((line) => line !== 'ready'))
			throw new Error(`A racing process did not start: ${greetings.join(', ')}`);
		return new ProcessPool(racers);
	}

	/**
	 * Runs `scenario` in every process at once on the store at `location` (a
	 * path: that SQLite file); resolves to each process's result.
	 */
	async race<K extends ScenarioName>(
		location: StoreLocation | string,
		scenario: K,
		args: ScenarioArgs[K],
	): Promise<Array<ScenarioResults[K]>> {
		const replies = this.racers.map((_, index) => this.run(index, location, scenario, args));
		return await Promise.all(replies);
	}

	/** Runs `scenario` in the `index`th process only. */
	async run<K extends ScenarioName>(
		index: number,
		location: StoreLocation | string,
		scenario: K,
		args: ScenarioArgs[K],
	): Promise<ScenarioResults[K]> {
		const at: StoreLocation =
			typeof location === 'string' ? { backend: 'sqlite', path: location } : location;
		return (await this.racers[index].send({ location: at, scenario, args })) as ScenarioResults[K];
	}

	get size(): number {
		return this.racers.length;
	}

	async stop(): Promise<void> {
		await Promise.all(this.racers.map((racer) => racer.stop()));
	}
}
