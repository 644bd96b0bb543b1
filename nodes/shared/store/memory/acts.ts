import { cloneJson, missing, resolveLimit } from '../common';
import { timeOrderedId } from '../ids';
import { compareActsNewestFirst, patchedAct } from '../rules';
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
import { appendEvent, newEvent } from './outbox';
import { copyAct, type MemoryState } from './state';

export function createActs(state: MemoryState, inputs: CreateActInput[]): Act[] {
	// Built first: copying arguments is the step that can throw, and then none may be stored.
	return inputs.map(newAct).map((act) => {
		state.acts.set(act.id, { act, order: state.actOrder++ });
		return copyAct(act);
	});
}

export function updateActs(state: MemoryState, updates: ActUpdate[]): Act[] {
	// All found first: a missing act must leave every other one unchanged.
	for (const { id } of updates) requireAct(state, id);
	// One at a time, so that two updates of one act apply one after the other.
	return updates.map(({ id, patch }) => writeAct(state, patchedAct(requireAct(state, id), patch)));
}

export function settleAct(
	state: MemoryState,
	id: string,
	expected: ActStatus,
	patch: ActPatch,
	event: PublishEventInput,
): SettledAct | null {
	const act = requireAct(state, id);
	if (act.status !== expected) return null;
	const settled = patchedAct(act, patch);
	const pending = newEvent(event);
	return { act: writeAct(state, settled), event: appendEvent(state, pending) };
}

export function listActs(state: MemoryState, filter: ActFilter = {}): Act[] {
	const limit = resolveLimit(filter.limit);
	const ids = filter.ids === undefined ? undefined : new Set(filter.ids);
	return [...state.acts.values()]
		.filter(
			({ act }) =>
				(ids === undefined || ids.has(act.id)) &&
				(filter.integrationIdn === undefined || act.integrationIdn === filter.integrationIdn) &&
				(filter.connectorIdn === undefined || act.connectorIdn === filter.connectorIdn) &&
				(filter.commandIdn === undefined || act.commandIdn === filter.commandIdn) &&
				(filter.personaId === undefined || act.personaId === filter.personaId) &&
				(filter.status === undefined || act.status === filter.status),
		)
		.sort(compareActsNewestFirst)
		.slice(0, limit)
		.map(({ act }) => copyAct(act));
}

function requireAct(state: MemoryState, id: string): Act {
	const record = state.acts.get(id);
	if (!record) throw missing('Act', id);
	return record.act;
}

function writeAct(state: MemoryState, act: Act): Act {
	const record = state.acts.get(act.id);
	if (!record) throw missing('Act', act.id);
	record.act = { ...act, updatedAt: Date.now() };
	return copyAct(record.act);
}

function newAct(input: CreateActInput): Act {
	const now = Date.now();
	return {
		id: timeOrderedId(),
		integrationIdn: input.integrationIdn,
		connectorIdn: input.connectorIdn,
		commandIdn: input.commandIdn,
		arguments: cloneJson(input.arguments),
		personaId: input.personaId ?? null,
		status: input.status ?? 'pending',
		result: cloneJson(input.result ?? null),
		externalId: input.externalId ?? null,
		createdAt: now,
		updatedAt: now,
	};
}
