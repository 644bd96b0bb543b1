/**
 * A store's records outlive the store object: what one instance wrote, the
 * next one opened on the same file or schema reads back unchanged, leases
 * and seqs included. Each persistent backend's test file runs this.
 */

import type { SessionStore } from '../../nodes/shared/store';
import { getAct } from './reads';

/** `place()` picks a new, empty place for a store and returns how to open the store there. */
export function itLosesNothingWhenReopened(place: () => () => Promise<SessionStore>): void {
	it('loses nothing when closed and reopened', async () => {
		const open = place();
		const first = await open();
		const actor = await first.upsertActor({
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalId: 'e',
			personaName: 'Ada',
		});
		const created = await first.upsertSession({
			channel: 'sms',
			integrationIdn: 'i',
			connectorIdn: 'c',
			externalKey: 'k',
			personaId: actor.persona.id,
			timeoutSeconds: 60,
			metadata: { a: [1, { b: null }] },
			// Text a database could mangle: a NUL, quotes, backslashes, non-ASCII.
			state: { step: 'two', text: 'héllo ✓ \u0000 "quoted" \\ \'' },
		});
		await first.compareAndSetSessionFlag(created.id, 'botInProgress', false, true);
		const session = await first.getSession(created.id);
		const [act] = await first.createActs([
			{
				integrationIdn: 'i',
				connectorIdn: 'c',
				commandIdn: 'send',
				arguments: { text: 'héllo ✓' },
				result: { ok: true },
				externalId: 'SM1',
			},
		]);
		const now = Date.now();
		await first.putTimer({
			personaId: actor.persona.id,
			timerName: 'leased',
			integrationIdn: 'i',
			connectorIdn: 'c',
			eventIdn: 'e',
			nextFireAt: now - 1,
			intervalSeconds: 5,
			repeatable: true,
			enabled: true,
			data: { x: 1 },
		});
		const [claim] = await first.claimDueTimers(now, 1, 60_000);
		await first.putTimer({
			personaId: actor.persona.id,
			timerName: 'off',
			integrationIdn: 'i',
			connectorIdn: 'c',
			eventIdn: 'e',
			nextFireAt: now + 60_000,
			intervalSeconds: null,
			repeatable: false,
			enabled: false,
		});
		const timers = await first.listTimers();
		const events = [
			await first.publishEvent({
				type: 't',
				integrationIdn: 'i',
				connectorIdn: 'c',
				payload: { n: 1 },
			}),
		];
		events.push(
			await first.publishEvent({
				type: 't',
				integrationIdn: 'i',
				connectorIdn: 'c',
				payload: { n: 2 },
			}),
		);
		await first.ackEvents('trigger', events[0].seq);
		await first.close();

		const second = await open();
		await expect(second.upsertActor(actor.actor)).resolves.toEqual({
			actor: actor.actor,
			persona: actor.persona,
			actorCreated: false,
			personaCreated: false,
		});
		await expect(second.getSession(created.id)).resolves.toEqual(session);
		await expect(getAct(second, act.id)).resolves.toEqual(act);
		await expect(second.listTimers()).resolves.toEqual(timers);
		await expect(second.readEvents('trigger')).resolves.toEqual([events[1]]);
		await expect(second.readEvents('new')).resolves.toEqual(events);
		// The lease survived too: the claim made before closing can still be completed.
		const [fired] = await second.fireTimers([
			{
				timerId: claim.timer.id,
				leaseToken: claim.leaseToken,
				outcome: { firedAt: now, nextFireAt: now + 5000 },
				event: { type: 't', integrationIdn: 'i', connectorIdn: 'c', payload: {} },
			},
		]);
		expect(fired?.timer).toMatchObject({ fireCount: 1 });
		// Seqs go on from where the first connection left them.
		expect(fired?.event.seq).toBe(events[1].seq + 1);
		await second.close();
	});
}
