import { resolveLimit } from '../common';
import { FINISHED_TIMER_SQL, noneRemoved } from '../rules';
import type { RemovedRecords } from '../types';
import type { Connection } from './connection';

/** Each kind is a short DELETE of at most `limit` rows, all in one transaction. */
export function pruneRecords(conn: Connection, olderThan: number, limit: number): RemovedRecords {
	const most = resolveLimit(limit);
	return conn.transaction(() => {
		const removed = noneRemoved();
		removed.acts = changes(
			conn.run(
				'DELETE FROM acts WHERE id IN (SELECT id FROM acts WHERE created_at < ? LIMIT ?)',
				olderThan,
				most,
			),
		);
		const endedSessions = `SELECT id FROM sessions WHERE status = 'ended' AND updated_at < ? LIMIT ?`;
		conn.run(`DELETE FROM session_leases WHERE session_id IN (${endedSessions})`, olderThan, most);
		removed.sessions = changes(
			conn.run(`DELETE FROM sessions WHERE id IN (${endedSessions})`, olderThan, most),
		);
		removed.timers = changes(
			conn.run(
				`DELETE FROM timers WHERE id IN
				(SELECT id FROM timers WHERE ${FINISHED_TIMER_SQL} AND updated_at < ? LIMIT ?)`,
				olderThan,
				most,
			),
		);
		return removed;
	});
}

export function deletePersona(conn: Connection, personaId: string): RemovedRecords {
	return conn.transaction(() => {
		const removed = noneRemoved();
		removed.acts = changes(conn.run('DELETE FROM acts WHERE persona_id = ?', personaId));
		conn.run(
			'DELETE FROM session_leases WHERE session_id IN (SELECT id FROM sessions WHERE persona_id = ?)',
			personaId,
		);
		removed.sessions = changes(conn.run('DELETE FROM sessions WHERE persona_id = ?', personaId));
		removed.timers = changes(conn.run('DELETE FROM timers WHERE persona_id = ?', personaId));
		removed.actors = changes(conn.run('DELETE FROM actors WHERE persona_id = ?', personaId));
		removed.personas = changes(conn.run('DELETE FROM personas WHERE id = ?', personaId));
		return removed;
	});
}

function changes(result: { changes: number | bigint }): number {
	return Number(result.changes);
}
