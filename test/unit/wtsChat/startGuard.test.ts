import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { MemoryStore, SqliteStore, type SessionStore } from '../../../nodes/shared/store';
import type { SendChatbotInput } from '../../../nodes/shared/integrations/wts_chat/chatbotInput';
import {
	claimStart,
	contactSession,
	releaseStart,
} from '../../../nodes/shared/integrations/wts_chat/contactSession';

/**
 * The store as a database over a network behaves: every call takes a trip
 * of a few milliseconds, never quite the same, before and after it runs, so
 * other executions' calls overtake it (in one n8n process the SQLite store
 * answers without that gap, which is why the e2e race never showed the
 * problem). Whatever the order, the guard must hold.
 */
function overTheNetwork(store: SessionStore): SessionStore {
	const trip = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
	return new Proxy(store, {
		get(target, property, receiver) {
			const value: unknown = Reflect.get(target, property, receiver);
			if (typeof value !== 'function') return value;
			return async (...args: unknown[]) => {
				await trip();
				const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
					target,
					args,
				);
				await trip();
				return result;
			};
		},
	});
}

function inputFor(to: string): SendChatbotInput {
	return {
		connectorIdn: 'wts',
		endpoint: 'immediate',
		body: { botKey: 'bot', from: '5511999990000', to, options: { skipIfInProgress: true } },
	} as unknown as SendChatbotInput;
}

/**
 * One execution per contact, all at once: each claims the start, and the
 * ones that got it hold it (their request in flight) until every execution
 * has decided. Returns how many got through.
 */
async function race(store: SessionStore, contacts: string[]): Promise<number> {
	let decided = 0;
	let release = () => {};
	const everyoneDecided = new Promise<void>((resolve) => (release = resolve));
	const decide = () => {
		decided += 1;
		if (decided === contacts.length) release();
	};
	const outcomes = await Promise.all(
		contacts.map(async (to) => {
			const session = await contactSession(store, inputFor(to));
			const claim = await claimStart(store, session);
			decide();
			if (!claim) return false;
			await everyoneDecided;
			await releaseStart(store, session, claim);
			return true;
		}),
	);
	return outcomes.filter(Boolean).length;
}

const backends: Array<[string, (dir: string) => SessionStore]> = [
	['memory', () => new MemoryStore()],
	['sqlite', (dir) => new SqliteStore(join(dir, 'guard.sqlite'))],
];

describe.each(backends)('Skip If In Progress: the start claimed in the %s store', (_, open) => {
	let dir: string;
	let store: SessionStore;

	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'agent-connectors-guard-'));
		store = overTheNetwork(open(dir));
	});

	afterEach(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	test('of 100 executions racing for one contact, exactly one starts the chatbot, round after round', async () => {
		// Each round is another ordering of the same race; one round rarely hits the window.
		const starts: number[] = [];
		for (let round = 0; round < 20; round++)
			starts.push(
				await race(
					store,
					Array.from({ length: 100 }, () => `55119666${round}`),
				),
			);
		expect(starts).toEqual(Array.from({ length: 20 }, () => 1));
	});

	test('100 executions for 100 contacts start 100 chatbots', async () => {
		const contacts = Array.from({ length: 100 }, (_, index) => `551195550${index}`);
		expect(await race(store, contacts)).toBe(100);
	});

	test('once the start is over the next execution for the contact may start again', async () => {
		expect(await race(store, ['5511966665555'])).toBe(1);
		expect(await race(store, ['5511966665555'])).toBe(1);
	});
});
