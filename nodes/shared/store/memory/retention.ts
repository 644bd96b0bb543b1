import { resolveLimit } from '../common';
import { noneRemoved, timerCanFire } from '../rules';
import type { RemovedRecords } from '../types';
import { keyOf, type MemoryState } from './state';

export function pruneRecords(state: MemoryState, olderThan: number, limit: number): RemovedRecords {
	const most = resolveLimit(limit);
	const removed = noneRemoved();
	for (const [id, { act }] of state.acts) {
		if (removed.acts >= most) break;
		if (act.createdAt >= olderThan) continue;
		state.acts.delete(id);
		removed.acts += 1;
	}
	for (const session of [...state.sessions.values()]) {
		if (removed.sessions >= most) break;
		if (session.status !== 'ended' || session.updatedAt >= olderThan) continue;
		removeSession(state, session.id);
		removed.sessions += 1;
	}
	for (const { timer } of [...state.timers.values()]) {
		if (removed.timers >= most) break;
		if (timerCanFire(timer.state) || timer.updatedAt >= olderThan) continue;
		removeTimer(state, timer.id);
		removed.timers += 1;
	}
	return removed;
}

export function deletePersona(state: MemoryState, personaId: string): RemovedRecords {
	const removed = noneRemoved();
	for (const [id, { act }] of state.acts) {
		if (act.personaId !== personaId) continue;
		state.acts.delete(id);
		removed.acts += 1;
	}
	for (const session of [...state.sessions.values()]) {
		if (session.personaId !== personaId) continue;
		removeSession(state, session.id);
		removed.sessions += 1;
	}
	for (const { timer } of [...state.timers.values()]) {
		if (timer.personaId !== personaId) continue;
		removeTimer(state, timer.id);
		removed.timers += 1;
	}
	for (const [key, actor] of state.actors) {
		if (actor.personaId !== personaId) continue;
		state.actors.delete(key);
		removed.actors += 1;
	}
	if (state.personas.delete(personaId)) removed.personas = 1;
	return removed;
}

function removeSession(state: MemoryState, id: string): void {
	const session = state.sessions.get(id);
	if (session === undefined) return;
	state.sessions.delete(id);
	state.sessionIdsByKey.delete(
		keyOf(session.channel, session.integrationIdn, session.connectorIdn, session.externalKey),
	);
	for (const key of [...state.sessionLeases.keys()]) {
		if ((JSON.parse(key) as string[])[0] === id) state.sessionLeases.delete(key);
	}
}

function removeTimer(state: MemoryState, id: string): void {
	const record = state.timers.get(id);
	if (record === undefined) return;
	state.timers.delete(id);
	const nameKey = keyOf(record.timer.personaId, record.timer.timerName);
	if (state.timerIdsByName.get(nameKey) === id) state.timerIdsByName.delete(nameKey);
}
