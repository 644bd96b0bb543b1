import {
	freshStoreForEachTest,
	T0,
	actorKey,
	sessionKey,
	actInput,
	eventInput,
	timerInput,
	type StoreFactory,
} from './fixtures';

export function describeCloseContract(name: string, factory: StoreFactory): void {
	describe(`${name} (SessionStore contract): close`, () => {
		const store = freshStoreForEachTest(factory);
		it('every method rejects with a clear error after close, and closing again is harmless', async () => {
			await store.close();
			await expect(store.close()).resolves.toBeUndefined();
			const calls: Array<() => Promise<unknown>> = [
				() => store.upsertActor(actorKey),
				() => store.upsertSession(sessionKey),
				() => store.getSession('s'),
				() => store.findSession(sessionKey),
				() => store.updateSession('s', {}),
				() => store.compareAndSetSessionFlag('s', 'f', false, true),
				() => store.acquireSessionLease('s', 'l', 1000),
				() => store.releaseSessionLease('s', 'l', 'token'),
				() => store.createActs([actInput]),
				() => store.updateActs([{ id: 'a', patch: {} }]),
				() => store.settleAct('a', 'sent', {}, eventInput),
				() => store.listActs(),
				() => store.putTimer(timerInput()),
				() => store.putTimers([timerInput()]),
				() => store.getTimer('p', 't'),
				() => store.listTimers(),
				() => store.setTimerEnabled('p', 't', true),
				() => store.cancelTimer('p', 't'),
				() => store.nextDueAt(),
				() => store.claimDueTimers(T0, 1, 1000),
				() => store.fireTimers([]),
				() => store.publishEvent(eventInput),
				() => store.readEvents('c'),
				() => store.ackEvents('c', 1),
				() => store.registerConsumer('c'),
				() => store.pruneEvents(T0),
			];
			for (const call of calls)
				await expect(call()).rejects.toThrow(/session store has been closed/);
		});
	});
}
