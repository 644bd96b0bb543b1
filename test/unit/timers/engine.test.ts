import { MemoryStore } from '../../../nodes/shared/store';
import { withChangeSignals } from '../../../nodes/shared/store/changes';
import { TimerEngine, type TimerEngineOptions } from '../../../nodes/shared/timers/engine';
import { FireRecorder, firedEvents, payloadOf, sleep, timerInput, waitFor } from './helpers';

/** Generous for a shared, noisy machine; the benchmark measures real lateness. */
const ON_TIME_MS = 150;

let store: MemoryStore;
const engines: TimerEngine[] = [];

function engine(options: TimerEngineOptions = {}): TimerEngine {
	const created = new TimerEngine(store, options);
	engines.push(created);
	return created;
}

beforeEach(() => {
	store = new MemoryStore();
});

afterEach(async () => {
	jest.restoreAllMocks();
	await Promise.all(engines.splice(0).map((created) => created.stop()));
	await store.close();
});

describe('TimerEngine', () => {
	it('fires a timer on time, recording the fire and its event together, with its data', async () => {
		const scheduledAt = Date.now() + 150;
		const stored = await store.putTimer(
			timerInput({ nextFireAt: scheduledAt, data: { text: 'call back' } }),
		);
		const timers = engine();
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(1);

		const [fire] = recorder.fires;
		expect(fire.heardAt).toBeGreaterThanOrEqual(scheduledAt);
		expect(fire.heardAt - scheduledAt).toBeLessThan(ON_TIME_MS);
		expect(fire.timer).toMatchObject({
			id: stored.id,
			state: 'done',
			nextFireAt: null,
			fireCount: 1,
		});
		expect(fire.event).toMatchObject({
			type: 'timer_fired',
			integrationIdn: 'program_timer',
			connectorIdn: 'timers',
		});
		const payload = payloadOf(fire);
		expect(payload).toEqual({
			timerId: stored.id,
			personaId: 'persona-1',
			timerName: 'reminder',
			connectorIdn: 'timers',
			eventIdn: 'reminder_due',
			scheduledAt: new Date(scheduledAt).toISOString(),
			firedAt: new Date(fire.timer.lastFiredAt ?? 0).toISOString(),
			lateMs: (fire.timer.lastFiredAt ?? 0) - scheduledAt,
			late: false,
			fireCount: 1,
			repeatable: false,
			interval: null,
			data: { text: 'call back' },
		});
		await expect(firedEvents(store)).resolves.toEqual([fire.event]);
		await expect(store.getTimer('persona-1', 'reminder')).resolves.toEqual(fire.timer);
	});

	it('never fires a disabled timer', async () => {
		await store.putTimer(
			timerInput({ timerName: 'disabled', nextFireAt: Date.now() + 50, enabled: false }),
		);
		await store.putTimer(timerInput({ timerName: 'sentinel', nextFireAt: Date.now() + 200 }));
		const timers = engine();
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(1);
		await sleep(100);
		expect(recorder.names).toEqual(['sentinel']);
		await expect(store.getTimer('persona-1', 'disabled')).resolves.toMatchObject({
			state: 'disabled',
			fireCount: 0,
		});
	});

	it('replacing a timer by name before it fires fires only the replacement', async () => {
		const timers = engine();
		const recorder = new FireRecorder(timers);
		await store.putTimer(timerInput({ nextFireAt: Date.now() + 100, eventIdn: 'old' }));
		timers.start();
		await sleep(20);
		const replacement = await store.putTimer(
			timerInput({ nextFireAt: Date.now() + 200, eventIdn: 'new' }),
		);
		timers.wake();
		await recorder.waitForFires(1);
		await sleep(150);

		const events = await firedEvents(store);
		expect(events).toHaveLength(1);
		expect(payloadOf(events[0])).toMatchObject({
			timerId: replacement.id,
			eventIdn: 'new',
			scheduledAt: new Date(replacement.nextFireAt ?? 0).toISOString(),
		});
	});

	it('fires a repeatable timer at its cadence', async () => {
		const first = Date.now() + 100;
		await store.putTimer(timerInput({ nextFireAt: first, repeatable: true, intervalSeconds: 1 }));
		const timers = engine();
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(3, 4000);
		await timers.stop();

		const payloads = recorder.fires.map(payloadOf);
		expect(payloads.map((p) => p.scheduledAt)).toEqual(
			[first, first + 1000, first + 2000].map((at) => new Date(at).toISOString()),
		);
		expect(payloads.map((p) => p.fireCount)).toEqual([1, 2, 3]);
		expect(payloads.every((p) => !p.late && p.lateMs < ON_TIME_MS && p.interval === 1)).toBe(true);
		await expect(store.getTimer('persona-1', 'reminder')).resolves.toMatchObject({
			state: 'scheduled',
			nextFireAt: first + 3000,
			fireCount: 3,
		});
	});

	it('fires a timer that was overdue at start once, marked late', async () => {
		const scheduledAt = Date.now() - 5000;
		await store.putTimer(timerInput({ nextFireAt: scheduledAt }));
		const timers = engine();
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(1);
		await sleep(200);

		expect(recorder.fires).toHaveLength(1);
		const payload = payloadOf(recorder.fires[0]);
		expect(payload.late).toBe(true);
		expect(payload.lateMs).toBeGreaterThanOrEqual(5000);
		await expect(firedEvents(store)).resolves.toHaveLength(1);
	});

	it('wake() fires a sooner timer at once instead of after the sleep aimed at a later one', async () => {
		await store.putTimer(timerInput({ timerName: 'far', nextFireAt: Date.now() + 60_000 }));
		const timers = engine({ maxSleepMs: 60_000 });
		const recorder = new FireRecorder(timers);
		timers.start();
		await sleep(50);
		const soon = Date.now() + 50;
		await store.putTimer(timerInput({ timerName: 'soon', nextFireAt: soon }));
		timers.wake();
		await recorder.waitForFires(1, 2000);
		expect(recorder.names).toEqual(['soon']);
		expect(recorder.fires[0].heardAt - soon).toBeLessThan(ON_TIME_MS);
	});

	it('without wake() notices a timer set elsewhere within the maximum sleep', async () => {
		await store.putTimer(timerInput({ timerName: 'far', nextFireAt: Date.now() + 60_000 }));
		const timers = engine({ maxSleepMs: 300 });
		const recorder = new FireRecorder(timers);
		timers.start();
		await sleep(50);
		const soon = Date.now() + 10;
		await store.putTimer(timerInput({ timerName: 'soon', nextFireAt: soon }));
		await recorder.waitForFires(1, 2000);
		expect(recorder.names).toEqual(['soon']);
		expect(recorder.fires[0].heardAt - soon).toBeLessThan(300 + ON_TIME_MS);
	});

	it('fires more due timers than one batch holds, each once, announcing batch by batch', async () => {
		for (let i = 0; i < 35; i++)
			await store.putTimer(timerInput({ timerName: `t${i}`, nextFireAt: Date.now() - 10 }));
		const timers = engine({ batchSize: 10, maxBatchSize: 10 });
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(35);
		await sleep(50);
		expect(new Set(recorder.names).size).toBe(35);
		expect(recorder.fires).toHaveLength(35);
		expect(recorder.batchSizes).toEqual([10, 10, 10, 5]);
		await expect(firedEvents(store)).resolves.toHaveLength(35);
	});

	it('takes twice as many timers per claim while claims come back full, up to maxBatchSize', async () => {
		for (let i = 0; i < 100; i++)
			await store.putTimer(timerInput({ timerName: `t${i}`, nextFireAt: Date.now() - 10 }));
		const timers = engine({ batchSize: 5, maxBatchSize: 30 });
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(100);
		await sleep(50);
		expect(new Set(recorder.names).size).toBe(100);
		expect(recorder.batchSizes).toEqual([5, 10, 20, 30, 30, 5]);
		await expect(firedEvents(store)).resolves.toHaveLength(100);
	});

	it('stop() stops firing, can be called again, and start() resumes', async () => {
		const timers = engine();
		const recorder = new FireRecorder(timers);
		timers.start();
		expect(timers.isRunning).toBe(true);
		await timers.stop();
		await timers.stop();
		expect(timers.isRunning).toBe(false);
		await store.putTimer(timerInput({ nextFireAt: Date.now() + 30 }));
		timers.wake();
		await sleep(200);
		expect(recorder.fires).toHaveLength(0);
		timers.start();
		await recorder.waitForFires(1);
	});

	it('stop() lets the batch being fired finish, takes no more, and resolves after it', async () => {
		for (let i = 0; i < 20; i++)
			await store.putTimer(timerInput({ timerName: `t${i}`, nextFireAt: Date.now() - 10 }));
		const timers = engine({ batchSize: 5 });
		const fireDueTimers = store.fireDueTimers.bind(store);
		let stopping: Promise<void> | undefined;
		jest.spyOn(store, 'fireDueTimers').mockImplementation(async (...args) => {
			// Stopped from elsewhere, once the wake-up is under way.
			await Promise.resolve();
			stopping ??= timers.stop();
			await sleep(20);
			return fireDueTimers(...args);
		});
		timers.start();
		await waitFor('the engine to start firing', () => stopping !== undefined);
		await stopping;
		// The batch being taken is fired whole; the rest stay free.
		await expect(firedEvents(store)).resolves.toHaveLength(5);
		const waiting = await store.listTimers({ state: 'scheduled' });
		expect(waiting).toHaveLength(15);
		expect(waiting.every((timer) => timer.leaseUntil === null)).toBe(true);
	});

	it('reports an error of one wake-up and keeps running', async () => {
		const errors: Error[] = [];
		jest.spyOn(store, 'fireDueTimers').mockRejectedValueOnce(new Error('disk gone'));
		await store.putTimer(timerInput({ nextFireAt: Date.now() }));
		const timers = engine({ maxSleepMs: 100, onError: (error) => errors.push(error) });
		const recorder = new FireRecorder(timers);
		timers.start();
		await recorder.waitForFires(1, 2000);
		expect(errors.map((error) => error.message)).toEqual(['disk gone']);
	});

	it('reports a throwing listener and still tells the others', async () => {
		const errors: Error[] = [];
		const timers = engine({
			onError: (error) => {
				errors.push(error);
				throw new Error('the error handler fails too');
			},
		});
		timers.onFired(() => {
			throw new Error('listener failed');
		});
		const recorder = new FireRecorder(timers);
		await store.putTimer(timerInput({ nextFireAt: Date.now() }));
		timers.start();
		await recorder.waitForFires(1);
		expect(errors.map((error) => error.message)).toEqual(['listener failed']);
		expect(timers.isRunning).toBe(true);
	});

	it('onFired returns an unsubscribe function', async () => {
		const timers = engine();
		const heard: string[] = [];
		const unsubscribe = timers.onFired((fired) =>
			heard.push(...fired.map((f) => f.timer.timerName)),
		);
		const recorder = new FireRecorder(timers);
		unsubscribe();
		unsubscribe();
		await store.putTimer(timerInput({ nextFireAt: Date.now() }));
		timers.start();
		await recorder.waitForFires(1);
		expect(heard).toEqual([]);
	});

	it('rejects options that are not positive numbers', () => {
		expect(() => new TimerEngine(store, { maxSleepMs: 0 })).toThrow(RangeError);
		expect(() => new TimerEngine(store, { batchSize: 2.5 })).toThrow(
			/batchSize must be a positive integer/,
		);
		expect(() => new TimerEngine(store, { lateThresholdMs: Number.NaN })).toThrow(RangeError);
	});
});

describe('TimerEngine.forProcess', () => {
	it('shares one engine per store in the process', async () => {
		const other = new MemoryStore();
		const engine = TimerEngine.forProcess(store);
		expect(TimerEngine.forProcess(store)).toBe(engine);
		expect(engine.store).toBe(store);
		expect(TimerEngine.forProcess(other)).not.toBe(engine);
		await other.close();
	});

	it('runs while acquired and stops when the last user releases it', async () => {
		const engine = TimerEngine.forProcess(store);
		engines.push(engine);
		expect(engine.isRunning).toBe(false);
		engine.acquire();
		engine.acquire();
		expect(engine.isRunning).toBe(true);
		await engine.release();
		expect(engine.isRunning).toBe(true);
		await engine.release();
		expect(engine.isRunning).toBe(false);
		await engine.release();
		engine.acquire();
		expect(engine.isRunning).toBe(true);
		const recorder = new FireRecorder(engine);
		await store.putTimer(timerInput({ nextFireAt: Date.now() }));
		engine.wake();
		await recorder.waitForFires(1);
		await engine.release();
		expect(engine.isRunning).toBe(false);
	});

	it('tells the loggers of its current users about a failed wake-up, and no longer a user that left', async () => {
		const engine = TimerEngine.forProcess(store);
		engines.push(engine);
		const first: string[] = [];
		const second: string[] = [];
		const logFirst = (error: Error) => first.push(error.message);
		const logSecond = (error: Error) => second.push(error.message);
		jest.spyOn(store, 'fireDueTimers').mockRejectedValue(new Error('store unreachable'));
		engine.acquire(logFirst);
		engine.acquire(logSecond);
		await waitFor('a failed wake-up reported', () => first.length + second.length > 0);
		await engine.release(logFirst);
		first.length = 0;
		second.length = 0;
		engine.wake();
		await waitFor('the next failure reported', () => second.length > 0);
		expect(first).toEqual([]);
		expect(second[0]).toBe('store unreachable');
		await engine.release(logSecond);
	});

	it('re-aims at once when this process writes a timer through the process store', async () => {
		const engine = TimerEngine.forProcess(store);
		engines.push(engine);
		const wake = jest.spyOn(engine, 'wake');
		engine.acquire();
		const calls = wake.mock.calls.length;
		await signalTimersWritten();
		expect(wake.mock.calls.length).toBe(calls + 1);
		await engine.release();
		await signalTimersWritten();
		expect(wake.mock.calls.length).toBe(calls + 1);
	});
});

/** What the process store does after a timer write (store/changes.ts). */
async function signalTimersWritten(): Promise<void> {
	const processStore = withChangeSignals(new MemoryStore());
	await processStore.setTimerEnabled('nobody', 'nothing', true);
	await processStore.close();
}
