import type { DatabaseSync } from 'node:sqlite';

/**
 * Runs `work` inside BEGIN IMMEDIATE … COMMIT. IMMEDIATE takes the write lock
 * up front (waiting up to busy_timeout), so two processes that both read
 * and then write can never interleave, and no read snapshot ever has to be
 * upgraded to a write (which in WAL mode fails at once instead of waiting).
 * `work` must be synchronous: nothing else may run on this connection meanwhile.
 */
export function immediateTransaction<T>(db: DatabaseSync, work: () => T): T {
	db.exec('BEGIN IMMEDIATE');
	let committed = false;
	try {
		const result = work();
		db.exec('COMMIT');
		committed = true;
		return result;
	} finally {
		if (!committed) rollBack(db);
	}
}

function rollBack(db: DatabaseSync): void {
	try {
		db.exec('ROLLBACK');
	} catch {
		// SQLite rolls back by itself after some failures (disk full, I/O error),
		// leaving nothing to roll back; the error already propagating is the one
		// that explains what went wrong, so this one must not replace it.
	}
}
