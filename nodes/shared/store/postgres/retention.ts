import { resolveLimit } from '../common';
import { noneRemoved } from '../rules';
import type { SqlValue } from '../sql/rows';
import { DELETE_PERSONA_STEPS, PRUNE_STEPS, type RemovalStep } from '../sql/statements';
import type { RemovedRecords } from '../types';
import type { Database } from './connection';

/** Each kind is a short DELETE of at most `limit` rows, all in one transaction. */
export async function pruneRecords(
	db: Database,
	olderThan: number,
	limit: number,
): Promise<RemovedRecords> {
	return remove(db, PRUNE_STEPS, [olderThan, resolveLimit(limit)]);
}

export async function deletePersona(db: Database, personaId: string): Promise<RemovedRecords> {
	return remove(db, DELETE_PERSONA_STEPS, [personaId]);
}

async function remove(
	db: Database,
	steps: readonly RemovalStep[],
	params: SqlValue[],
): Promise<RemovedRecords> {
	return db.transaction(async (tx) => {
		const removed = noneRemoved();
		for (const { kind, sql } of steps) {
			const changes = await tx.run(sql, ...params);
			if (kind !== null) removed[kind] = changes;
		}
		return removed;
	});
}
