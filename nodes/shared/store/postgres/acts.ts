import { missing, resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import { actPatchParams } from '../rules';
import { placeholders, toAct } from '../sql/rows';
import {
	ACT_COLUMNS,
	ACT_EXISTS_SQL,
	ACT_PATCH_SQL,
	ACT_SETTLE_SQL,
	actRow,
	listActsQuery,
} from '../sql/statements';
import type {
	Act,
	ActFilter,
	ActPatch,
	ActStatus,
	ActUpdate,
	CreateActInput,
	PublishEventInput,
	SettledAct,
} from '../types';
import type { Database, Executor } from './connection';
import { appendEvents } from './outbox';

/** Acts per INSERT: 11 parameters each, far below PostgreSQL's 65,535. */
const ACT_INSERT_CHUNK = 1000;
const ACT_ROW_VALUES = `(${placeholders(11)})`;

/**
 * Multi-row INSERTs, so a node's batch of items costs one round trip per
 * thousand acts; one statement needs no transaction of its own. Rows are
 * inserted in input order, so rowid (the listing's tie-break) follows it.
 */
export async function createActs(db: Database, inputs: CreateActInput[]): Promise<Act[]> {
	if (inputs.length === 0) return [];
	if (inputs.length <= ACT_INSERT_CHUNK) return insertActs(db, inputs);
	return db.transaction(async (tx) => {
		const acts: Act[] = [];
		for (let start = 0; start < inputs.length; start += ACT_INSERT_CHUNK)
			acts.push(...(await insertActs(tx, inputs.slice(start, start + ACT_INSERT_CHUNK))));
		return acts;
	});
}

async function insertActs(db: Executor, inputs: CreateActInput[]): Promise<Act[]> {
	const now = Date.now();
	const ids = inputs.map(() => timeOrderedId(now));
	const rows = await db.all(
		`INSERT INTO acts (${ACT_COLUMNS}) VALUES ${inputs.map(() => ACT_ROW_VALUES).join(', ')} RETURNING *`,
		...inputs.flatMap((input, index) => actRow(ids[index], input, now)),
	);
	// RETURNING promises no order: each input finds its row by id.
	const acts = new Map(rows.map((row) => [row.id, toAct(row)]));
	return ids.map((id) => {
		const act = acts.get(id);
		if (act === undefined) throw new Error(`PostgreSQL stored act ${id} but did not return it`);
		return act;
	});
}

export async function updateActs(db: Database, updates: ActUpdate[]): Promise<Act[]> {
	// As in createActs: one UPDATE needs no transaction of its own.
	if (updates.length <= 1)
		return Promise.all(updates.map(({ id, patch }) => patchAct(db, id, patch)));
	return db.transaction(async (tx) => {
		const acts: Act[] = [];
		for (const { id, patch } of updates) acts.push(await patchAct(tx, id, patch));
		return acts;
	});
}

/** The act's update, then its event: the event takes the outbox's publish lock, so it comes last. */
export async function settleAct(
	db: Database,
	id: string,
	expected: ActStatus,
	patch: ActPatch,
	event: PublishEventInput,
): Promise<SettledAct | null> {
	return db.transaction(async (tx) => {
		const row = await tx.get(ACT_SETTLE_SQL, ...actPatchParams(patch), Date.now(), id, expected);
		if (!row) {
			if (!(await tx.get(ACT_EXISTS_SQL, id))) throw missing('Act', id);
			return null;
		}
		const [appended] = await appendEvents(tx, [event]);
		return { act: toAct(row), event: appended };
	});
}

export async function listActs(db: Database, filter: ActFilter = {}): Promise<Act[]> {
	const limit = resolveLimit(filter.limit);
	if (filter.ids?.length === 0) return [];
	const { sql, params } = listActsQuery(filter, limit);
	return (await db.all(sql, ...params)).map(toAct);
}

/** One statement: no read first, which would cost more than the write itself. */
async function patchAct(db: Executor, id: string, patch: ActPatch): Promise<Act> {
	const row = await db.get(ACT_PATCH_SQL, ...actPatchParams(patch), Date.now(), id);
	if (!row) throw missing('Act', id);
	return toAct(row);
}
