import { compareListeners, leaseExpiry, LISTENER_FORGET_MS, listenerHolds } from '../rules';
import type { ConnectorListener, ListenerFilter, RegisterListenerInput } from '../types';
import type { MemoryState } from './state';

export function registerListener(
	state: MemoryState,
	input: RegisterListenerInput,
	now: number = Date.now(),
): ConnectorListener {
	const expiresAt = leaseExpiry(now, input.ttlMs);
	for (const [id, listener] of state.listeners) {
		if (listener.expiresAt <= now - LISTENER_FORGET_MS) state.listeners.delete(id);
	}
	const before = state.listeners.get(input.id);
	const listener: ConnectorListener = {
		id: input.id,
		kind: input.kind,
		connectorIdn: input.connectorIdn,
		webhookUrl: input.webhookUrl ?? before?.webhookUrl ?? null,
		expiresAt,
		createdAt: before?.createdAt ?? now,
		updatedAt: now,
	};
	state.listeners.set(listener.id, listener);
	return { ...listener };
}

export function unregisterListener(state: MemoryState, id: string): boolean {
	return state.listeners.delete(id);
}

export function listListeners(
	state: MemoryState,
	filter: ListenerFilter = {},
	now: number = Date.now(),
): ConnectorListener[] {
	return [...state.listeners.values()]
		.filter(
			(listener) =>
				listenerHolds(listener.expiresAt, now) &&
				(filter.kind === undefined || listener.kind === filter.kind) &&
				(filter.connectorIdn === undefined || listener.connectorIdn === filter.connectorIdn),
		)
		.sort(compareListeners)
		.map((listener) => ({ ...listener }));
}
