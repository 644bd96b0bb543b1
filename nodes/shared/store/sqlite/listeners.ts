import { toListener } from '../sql/rows';
import {
	LISTENER_DELETE_SQL,
	LISTENER_UPSERT_SQL,
	LISTENERS_FORGET_SQL,
	listenerUpsertParams,
	listListenersQuery,
} from '../sql/listeners';
import type { ConnectorListener, ListenerFilter, RegisterListenerInput } from '../types';
import type { Connection } from './connection';

export function registerListener(
	conn: Connection,
	input: RegisterListenerInput,
	now: number = Date.now(),
): ConnectorListener {
	const { upsert, forgetBefore } = listenerUpsertParams(input, now);
	return conn.transaction(() => {
		conn.run(LISTENERS_FORGET_SQL, forgetBefore);
		return toListener(conn.returning(LISTENER_UPSERT_SQL, ...upsert));
	});
}

export function unregisterListener(conn: Connection, id: string): boolean {
	return Number(conn.run(LISTENER_DELETE_SQL, id).changes) > 0;
}

export function listListeners(
	conn: Connection,
	filter: ListenerFilter = {},
	now: number = Date.now(),
): ConnectorListener[] {
	const { sql, params } = listListenersQuery(filter, now);
	return conn.all(sql, ...params).map(toListener);
}
