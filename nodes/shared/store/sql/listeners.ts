/** The listeners role's statements, the same for SQLite and PostgreSQL (see statements.ts). */

import { leaseExpiry, LISTENER_FORGET_MS, LISTENER_ORDER_SQL } from '../rules';
import type { ListenerFilter, RegisterListenerInput } from '../types';
import { equalsClauses, type SqlValue, whereSql } from './rows';
import type { Query } from './statements';

/** Binds the cut-off: registrations expired at or before it are forgotten. */
export const LISTENERS_FORGET_SQL = 'DELETE FROM connector_listeners WHERE expires_at <= ?';

/**
 * A registration, or its renewal: the first registration's created_at is
 * kept, and so is its URL when none is given.
 */
export const LISTENER_UPSERT_SQL = `INSERT INTO connector_listeners
		(id, kind, connector_idn, webhook_url, expires_at, created_at, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, connector_idn = excluded.connector_idn,
		webhook_url = coalesce(excluded.webhook_url, connector_listeners.webhook_url),
		expires_at = excluded.expires_at, updated_at = excluded.updated_at
	RETURNING *`;

export const LISTENER_DELETE_SQL = 'DELETE FROM connector_listeners WHERE id = ?';

/** The upsert's values and the forget statement's cut-off; throws for a ttlMs that is not positive. */
export function listenerUpsertParams(
	input: RegisterListenerInput,
	now: number,
): { upsert: SqlValue[]; forgetBefore: number } {
	return {
		upsert: [
			input.id,
			input.kind,
			input.connectorIdn,
			input.webhookUrl ?? null,
			leaseExpiry(now, input.ttlMs),
			now,
			now,
		],
		forgetBefore: now - LISTENER_FORGET_MS,
	};
}

export function listListenersQuery(filter: ListenerFilter, now: number): Query {
	const { clauses, params } = equalsClauses({
		kind: filter.kind,
		connector_idn: filter.connectorIdn,
	});
	return {
		sql: `SELECT * FROM connector_listeners ${whereSql(['expires_at > ?', ...clauses])}
			ORDER BY ${LISTENER_ORDER_SQL}`,
		params: [now, ...params],
	};
}
