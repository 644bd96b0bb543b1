import { resolveLimit } from '../common';
import { noneRemoved } from '../rules';
import type { SqlValue } from '../sql/rows';
import { DELETE_PERSONA_STEPS, PRUNE_STEPS, type RemovalStep } from '../sql/statements';
import type { RemovedRecords } from '../types';
import type { Connection } from './connection';

/** Each kind is a short DELETE of at most `limit` rows, all in one transaction. */
export function pruneRecords(conn: Connection, olderThan: number, limit: number): RemovedRecords {
	const most = resolveLimit(limit);
	return conn.transaction(() => remove(conn, PRUNE_STEPS, [olderThan, most]));
}

export function deletePersona(conn: Connection, personaId: string): RemovedRecords {
	return conn.transaction(() => remove(conn, DELETE_PERSONA_STEPS, [personaId]));
}

function remove(
	conn: Connection,
	steps: readonly RemovalStep[],
	params: SqlValue[],
): RemovedRecords {
	const removed = noneRemoved();
	for (const { kind, sql } of steps) {
		const { changes } = conn.run(sql, ...params);
		if (kind !== null) removed[kind] = Number(changes);
	}
	return removed;
}
