import { toListener } from '../sql/rows';
import {
	LISTENER_DELETE_SQL,
	LISTENER_UPSERT_SQL,
	LISTENERS_FORGET_SQL,
	listenerUpsertParams,
	listListenersQuery,
} from '../sql/listeners';
import type { ConnectorListener, ListenerFilter, RegisterListenerInput } from '../types';
import type { Database } from './connection';

export async function registerListener(
	db: Database,
	input: RegisterListenerInput,
	now: number = Date.now(),
): Promise<ConnectorListener> {
	const { upsert, forgetBefore } = listenerUpsertParams(input, now);
	return db.transaction(async (tx) => {
		await tx.run(LISTENERS_FORGET_SQL, forgetBefore);
		return toListener(await tx.returning(LISTENER_UPSERT_SQL, ...upsert));
	});
}

export async function unregisterListener(db: Database, id: string): Promise<boolean> {
	return (await db.run(LISTENER_DELETE_SQL, id)) > 0;
}

export async function listListeners(
	db: Database,
	filter: ListenerFilter = {},
	now: number = Date.now(),
): Promise<ConnectorListener[]> {
	const { sql, params } = listListenersQuery(filter, now);
	return (await db.all(sql, ...params)).map(toListener);
}
