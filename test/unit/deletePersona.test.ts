import type { CommandContext } from '../../nodes/shared/commands/types';
import { MemoryStore } from '../../nodes/shared/store';
import { runCommand, sendCommandContext } from '../support/runCommand';

describe('delete_persona (integration store)', () => {
	let store: MemoryStore;
	let context: CommandContext;

	beforeEach(async () => {
		store = new MemoryStore();
		context = sendCommandContext(store);
		for (const personaId of ['alice', 'bob']) {
			await store.upsertActor({
				integrationIdn: 'twilio_messenger',
				connectorIdn: 'sms',
				externalId: `+1555${personaId.length}${personaId}`,
				personaId,
			});
			await runCommand(context, {
				integrationIdn: 'sandbox',
				commandIdn: 'note',
				connectorIdn: 'c',
				arguments: { text: `about ${personaId}` },
				personaId,
			});
		}
	});

	test("removes the persona named by Send Command's Persona ID and leaves no act naming it", async () => {
		const act = await runCommand(context, {
			integrationIdn: 'store',
			commandIdn: 'delete_persona',
			connectorIdn: 'store',
			arguments: {},
			personaId: 'alice',
		});
		expect(act).toMatchObject({
			status: 'completed',
			personaId: null,
			arguments: {},
			result: {
				deleted: true,
				removed: { acts: 1, sessions: 0, timers: 0, actors: 1, personas: 1 },
			},
		});
		const acts = await store.listActs({ limit: 100 });
		expect(JSON.stringify(acts)).not.toContain('alice');
		expect(acts.filter((recorded) => recorded.personaId === 'bob')).toHaveLength(1);
	});

	test('takes the seed spelling userPersonaId, and says when there was no such persona', async () => {
		const act = await runCommand(context, {
			integrationIdn: 'store',
			commandIdn: 'delete_persona',
			connectorIdn: 'store',
			arguments: { userPersonaId: 'carol' },
		});
		expect(act.result).toEqual({
			deleted: false,
			removed: { acts: 0, sessions: 0, timers: 0, actors: 0, personas: 0 },
		});
		expect(act.arguments).toEqual({});
	});

	test('without a persona it stops before anything is stored, naming the field', async () => {
		await expect(
			runCommand(context, {
				integrationIdn: 'store',
				commandIdn: 'delete_persona',
				connectorIdn: 'store',
				arguments: {},
			}),
		).rejects.toThrow('Name the persona to remove (Persona ID)');
		await expect(store.listActs({ limit: 100 })).resolves.toHaveLength(2);
	});
});
