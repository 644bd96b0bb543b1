/**
 * One n8n-like process for the timer tests: it opens the SQLite store at
 * argv[2], runs a timer engine over it and prints "ready". In `race` mode it
 * fires until stdin closes, then prints the ids of the timers it fired as
 * JSON and exits; in `idle` mode it does nothing more, to show that the engine
 * alone does not keep a process alive.
 */

import { SqliteStore } from '../../../nodes/shared/store/sqlite';
import { TimerEngine } from '../../../nodes/shared/timers/engine';

export interface ChildReport {
	fired: string[];
	errors: string[];
}

async function main(): Promise<void> {
	const [dbPath, mode, maxSleepMs, batchSize] = process.argv.slice(2);
	const store = new SqliteStore(dbPath);
	const report: ChildReport = { fired: [], errors: [] };
	const engine = new TimerEngine(store, {
		maxSleepMs: Number(maxSleepMs),
		batchSize: Number(batchSize),
		onError: (error) => report.errors.push(error.stack ?? error.message),
	});
	engine.onFired((fired) => report.fired.push(...fired.map(({ timer }) => timer.id)));
	engine.start();
	process.stdout.write('ready\n');
	if (mode !== 'race') return;

	process.stdin.resume();
	await new Promise((resolve) => process.stdin.on('end', resolve));
	await engine.stop();
	await store.close();
	process.stdout.write(`${JSON.stringify(report)}\n`);
}

void main();
