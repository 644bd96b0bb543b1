/**
 * The part of n8n a trigger's emit talks to, as n8n 2.40 behaves: an emit
 * with a deduplication key n8n already has starts nothing and settles its
 * done promise at once; any other emit starts a run, whose done promise
 * settles when the test finishes it (or at once, with `autoFinish`).
 */
import type { IDataObject, IRun, ITriggerFunctions } from 'n8n-workflow';

type DonePromise = NonNullable<Parameters<ITriggerFunctions['emit']>[2]>;

export interface FakeRun {
	key: string | undefined;
	json: IDataObject;
	done: DonePromise | undefined;
}

export class FakeTriggerHost {
	/** Every run started, in order; duplicates are not runs. */
	readonly runs: FakeRun[] = [];
	/** Emits refused as duplicates, by key. */
	readonly duplicates: string[] = [];
	private readonly keys = new Set<string>();
	private readonly unfinished: FakeRun[] = [];

	constructor(private readonly autoFinish = true) {}

	readonly emit = (
		data: Array<Array<{ json: IDataObject }>>,
		_response?: unknown,
		done?: DonePromise,
		key?: string,
	): void => {
		if (key !== undefined && this.keys.has(key)) {
			this.duplicates.push(key);
			done?.resolve(undefined as unknown as IRun);
			return;
		}
		if (key !== undefined) this.keys.add(key);
		const run: FakeRun = { key, json: data[0][0].json, done };
		this.runs.push(run);
		if (this.autoFinish) run.done?.resolve({} as IRun);
		else this.unfinished.push(run);
	};

	/** Runs started and not finished yet. */
	get running(): number {
		return this.unfinished.length;
	}

	/** Finishes the oldest unfinished runs (all when no count is given). */
	finish(count = this.unfinished.length): void {
		for (const run of this.unfinished.splice(0, count)) run.done?.resolve({} as IRun);
	}

	/** Finishes one particular run, e.g. out of order. */
	finishRun(run: FakeRun): void {
		const index = this.unfinished.indexOf(run);
		if (index >= 0) this.unfinished.splice(index, 1);
		run.done?.resolve({} as IRun);
	}

	/** n8n could not start it (a database error, say): the trigger must offer it again. */
	fail(run: FakeRun, error = new Error('database is locked')): void {
		const index = this.unfinished.indexOf(run);
		if (index >= 0) this.unfinished.splice(index, 1);
		if (run.key !== undefined) this.keys.delete(run.key);
		run.done?.reject(error);
	}

	/** A crash: what was unfinished never reports back; what n8n saved keeps its key. */
	crash(): void {
		this.unfinished.splice(0);
	}
}
