import { missing, resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import { actPatchParams } from '../rules';
import { toAct } from '../sql/rows';
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
import type { Connection } from './connection';
import { appendEvent } from './outbox';

export function createActs(conn: Connection, inputs: CreateActInput[]): Act[] {
	// One INSERT is atomic by itself: a single act skips the transaction, which costs more than the write.
	if (inputs.length <= 1) return inputs.map((input) => insertAct(conn, input));
	return conn.transaction(() => inputs.map((input) => insertAct(conn, input)));
}

export function updateActs(conn: Connection, updates: ActUpdate[]): Act[] {
	// As in createActs: one UPDATE needs no transaction of its own.
	if (updates.length <= 1) return updates.map(({ id, patch }) => patchAct(conn, id, patch));
	return conn.transaction(() => updates.map(({ id, patch }) => patchAct(conn, id, patch)));
}

export function settleAct(
	conn: Connection,
	id: string,
	expected: ActStatus,
	patch: ActPatch,
	event: PublishEventInput,
): SettledAct | null {
	return conn.transaction(() => {
		const row = conn.get(ACT_SETTLE_SQL, ...actPatchParams(patch), Date.now(), id, expected);
		if (!row) {
			if (!conn.get(ACT_EXISTS_SQL, id)) throw missing('Act', id);
			return null;
		}
		return { act: toAct(row), event: appendEvent(conn, event) };
	});
}

export function listActs(conn: Connection, filter: ActFilter = {}): Act[] {
	const limit = resolveLimit(filter.limit);
	if (filter.ids?.length === 0) return [];
	const { sql, params } = listActsQuery(filter, limit);
	return conn.all(sql, ...params).map(toAct);
}

function insertAct(conn: Connection, input: CreateActInput): Act {
	return toAct(
		conn.returning(
			`INSERT INTO acts (${ACT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
			...actRow(timeOrderedId(), input, Date.now()),
		),
	);
}

/** One statement: no read first, which would cost more than the write itself. */
function patchAct(conn: Connection, id: string, patch: ActPatch): Act {
	const row = conn.get(ACT_PATCH_SQL, ...actPatchParams(patch), Date.now(), id);
	if (!row) throw missing('Act', id);
	return toAct(row);
}
