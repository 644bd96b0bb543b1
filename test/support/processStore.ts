import type { ITriggerResponse } from 'n8n-workflow';

import { closeStore, getStore, type SessionStore } from '../../nodes/shared/store';

export interface ProcessStore {
	/** The store getStore() hands out in the current test. */
	readonly store: SessionStore;
	/** Triggers started in the current test, closed after it. */
	readonly responses: ITriggerResponse[];
}

/**
 * Gives each test of the calling describe block a fresh process store in
 * memory (what the nodes reach through getStore()), closes the triggers it
 * started and the store after it, and restores AGENT_CONNECTORS_STORE.
 */
export function useProcessMemoryStore(): ProcessStore {
	const saved = process.env.AGENT_CONNECTORS_STORE;
	const current: { store?: SessionStore; responses: ITriggerResponse[] } = { responses: [] };

	beforeEach(async () => {
		process.env.AGENT_CONNECTORS_STORE = 'memory:';
		current.store = await getStore();
		current.responses = [];
	});

	afterEach(async () => {
		for (const response of current.responses) await response.closeFunction?.();
		await closeStore();
		if (saved === undefined) delete process.env.AGENT_CONNECTORS_STORE;
		else process.env.AGENT_CONNECTORS_STORE = saved;
	});

	return {
		get store() {
			if (current.store === undefined) throw new Error('The store is opened before each test');
			return current.store;
		},
		get responses() {
			return current.responses;
		},
	};
}
