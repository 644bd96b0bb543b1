import { missing, resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import { ACT_LIST_ORDER_SQL, ACT_PATCH_SET_SQL, actPatchParams } from '../rules';
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
import { equalsClauses, placeholders, toAct, whereSql } from './rows';

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
		const row = conn.get(
			`UPDATE acts SET ${ACT_PATCH_SET_SQL}, updated_at = ? WHERE id = ? AND status = ? RETURNING *`,
			...actPatchParams(patch),
			Date.now(),
			id,
			expected,
		);
		if (!row) {
			if (!conn.get('SELECT 1 AS found FROM acts WHERE id = ?', id)) throw missing('Act', id);
			return null;
		}
		return { act: toAct(row), event: appendEvent(conn, event) };
	});
}

export function listActs(conn: Connection, filter: ActFilter = {}): Act[] {
	const limit = resolveLimit(filter.limit);
	if (filter.ids?.length === 0) return [];
	const { clauses, params } = equalsClauses({
		integration_idn: filter.integrationIdn,
		connector_idn: filter.connectorIdn,
		command_idn: filter.commandIdn,
		persona_id: filter.personaId,
		status: filter.status,
	});
	if (filter.ids !== undefined) {
		clauses.push(`id IN (${placeholders(filter.ids.length)})`);
		params.push(...filter.ids);
	}
	return conn
		.all(
			`SELECT * FROM acts ${whereSql(clauses)} ORDER BY ${ACT_LIST_ORDER_SQL} LIMIT ?`,
			...params,
			limit,
		)
		.map(toAct);
}

function insertAct(conn: Connection, input: CreateActInput): Act {
	const now = Date.now();
	return toAct(
		conn.returning(
			`INSERT INTO acts (id, integration_idn, connector_idn, command_idn, arguments, persona_id, status, result,
				external_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
			timeOrderedId(),
			input.integrationIdn,
			input.connectorIdn,
			input.commandIdn,
			JSON.stringify(input.arguments),
			input.personaId ?? null,
			input.status ?? 'pending',
			JSON.stringify(input.result ?? null),
			input.externalId ?? null,
			now,
			now,
		),
	);
}

/** One statement: no read first, which would cost more than the write itself. */
function patchAct(conn: Connection, id: string, patch: ActPatch): Act {
	const row = conn.get(
		`UPDATE acts SET ${ACT_PATCH_SET_SQL}, updated_at = ? WHERE id = ? RETURNING *`,
		...actPatchParams(patch),
		Date.now(),
		id,
	);
	if (!row) throw missing('Act', id);
	return toAct(row);
}
