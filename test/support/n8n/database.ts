/** n8n's own executions, read from its SQLite database: what n8n itself recorded, whatever the workflows did. */
import type { DatabaseSync } from 'node:sqlite';
import type { NodeRun } from './types';

export interface ExecutionRow {
	id: string;
	workflowId: string;
	/** new, running, success, error, crashed, canceled, waiting, unknown */
	status: string;
	mode: string;
	/** The key a trigger emitted the execution with; null when it gave none. */
	deduplicationKey: string | null;
	startedAt: string | null;
	stoppedAt: string | null;
	/** Set when n8n soft-deleted the execution (e.g. pruned it). */
	deletedAt: string | null;
}

/** Executions per workflow id, then per status. */
export type ExecutionCounts = Record<string, Record<string, number>>;

/**
 * Opens a SQLite file read-only, through the builtin Jest's module registry
 * does not know. Read-only never checkpoints or deletes the WAL of a
 * database n8n still has open.
 */
export function openReadOnly(path: string): DatabaseSync {
	return new (process.getBuiltinModule('node:sqlite').DatabaseSync)(path, {
		readOnly: true,
		timeout: 10_000,
	});
}

/** Every execution n8n stored in the database at `path`, oldest first (soft-deleted ones too). */
export function readExecutions(path: string): ExecutionRow[] {
	const db = openReadOnly(path);
	try {
		return db
			.prepare(
				`SELECT id, workflowId, status, mode, deduplicationKey, startedAt, stoppedAt, deletedAt
				FROM execution_entity ORDER BY id`,
			)
			.all()
			.map((row) => ({
				id: String(row.id),
				workflowId: String(row.workflowId),
				status: String(row.status),
				mode: String(row.mode),
				deduplicationKey: row.deduplicationKey === null ? null : String(row.deduplicationKey),
				startedAt: row.startedAt === null ? null : String(row.startedAt),
				stoppedAt: row.stoppedAt === null ? null : String(row.stoppedAt),
				deletedAt: row.deletedAt === null ? null : String(row.deletedAt),
			}));
	} finally {
		db.close();
	}
}

/** How many executions of one workflow n8n stored, counted in the database rather than read. */
export function countExecutionsOf(path: string, workflowId: string): number {
	const db = openReadOnly(path);
	try {
		const row = db
			.prepare('SELECT COUNT(*) AS count FROM execution_entity WHERE workflowId = ?')
			.get(workflowId);
		return Number(row?.count ?? 0);
	} finally {
		db.close();
	}
}

/**
 * The stored run data of each execution, as n8n wrote it (flatted JSON): from
 * its creation it holds the items the trigger emitted, so a crashed execution
 * still shows what started it.
 */
export function readExecutionData(path: string): Map<string, string> {
	const db = openReadOnly(path);
	try {
		const data = new Map<string, string>();
		for (const row of db.prepare('SELECT executionId, data FROM execution_data').all())
			data.set(String(row.executionId), String(row.data));
		return data;
	} finally {
		db.close();
	}
}

export function countExecutions(executions: readonly ExecutionRow[]): ExecutionCounts {
	const counts: ExecutionCounts = {};
	for (const { workflowId, status } of executions) {
		const byStatus = (counts[workflowId] ??= {});
		byStatus[status] = (byStatus[status] ?? 0) + 1;
	}
	return counts;
}

/**
 * Reads n8n's flatted JSON (how it stores run data): a list whose first
 * entry is the value; inside objects and lists every string is the index of
 * another entry, which holds the string, object or list meant.
 */
export function parseFlatted(text: string): unknown {
	const entries = JSON.parse(text) as unknown[];
	const revived = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (revived.has(index)) return revived.get(index);
		const entry = entries[index];
		if (entry === null || typeof entry !== 'object') {
			revived.set(index, entry);
			return entry;
		}
		const copy: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		revived.set(index, copy);
		for (const [key, value] of Object.entries(entry))
			(copy as Record<string, unknown>)[key] =
				typeof value === 'string' ? revive(Number(value)) : value;
		return copy;
	};
	return revive(0);
}

/**
 * The run data n8n stored for one execution: what `n8n execute` prints,
 * for runs too large to print whole (the command exits before a run of many
 * thousand items is out).
 */
export function readRunData(path: string, executionId: string): Record<string, NodeRun[]> {
	const text = readExecutionData(path).get(executionId);
	if (text === undefined) throw new Error(`n8n stored no run data for execution ${executionId}`);
	const run = parseFlatted(text) as { resultData: { runData: Record<string, NodeRun[]> } };
	return run.resultData.runData;
}
