/** An n8n process and the processes it started (its task runner), read from /proc: killed together, their memory sampled. */
import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc shows it; its start time tells it from a later process that reuses the pid. */
interface ProcessEntry {
	pid: number;
	ppid: number;
	startTime: string;
}

function readEntry(pid: number): ProcessEntry | undefined {
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	// The command name (2nd field) may hold spaces and parentheses; the fields after its last ')' do not.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return { pid, ppid: Number(fields[1]), startTime: fields[19] };
}

/** The process and all its descendants, parents before children. */
export function processTree(rootPid: number): ProcessEntry[] {
	const root = readEntry(rootPid);
	if (!root) return [];
	const children = new Map<number, ProcessEntry[]>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const entry = readEntry(Number(name));
		if (!entry) continue;
		const siblings = children.get(entry.ppid) ?? [];
		siblings.push(entry);
		children.set(entry.ppid, siblings);
	}
	const tree = [root];
	for (let index = 0; index < tree.length; index++)
		tree.push(...(children.get(tree[index].pid) ?? []));
	return tree;
}

/**
 * SIGKILLs each process of `tree` still alive, in one synchronous loop, so no
 * process runs another line of JavaScript in between. Pids that now belong to
 * another process (a different start time) are left alone.
 */
export function killProcesses(tree: ProcessEntry[]): void {
	for (const entry of tree) {
		if (readEntry(entry.pid)?.startTime !== entry.startTime) continue;
		try {
			process.kill(entry.pid, 'SIGKILL');
		} catch {
			// It exited between the check and the kill.
		}
	}
}

/** Resident memory of a process in bytes (VmRSS), or undefined once it is gone. */
export function residentBytes(pid: number): number | undefined {
	let status: string;
	try {
		status = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined;
	}
	const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
	return match ? Number(match[1]) * 1024 : undefined;
}

export interface RssSummary {
	/** The first sample, taken when sampling started. */
	before: number;
	peak: number;
	/** The last sample, taken when sampling stopped. */
	after: number;
	samples: number[];
}

/** Samples a process's VmRSS every `intervalMs` until stopped. */
export class RssSampler {
	private readonly samples: number[] = [];
	private readonly timer: NodeJS.Timeout;

	constructor(
		private readonly pid: number,
		intervalMs = 1000,
	) {
		this.sample();
		this.timer = setInterval(() => this.sample(), intervalMs);
	}

	private sample(): void {
		const bytes = residentBytes(this.pid);
		if (bytes !== undefined) this.samples.push(bytes);
	}

	stop(): RssSummary {
		clearInterval(this.timer);
		this.sample();
		if (this.samples.length === 0)
			throw new Error(`process ${this.pid} was gone before any sample`);
		return {
			before: this.samples[0],
			peak: Math.max(...this.samples),
			after: this.samples[this.samples.length - 1],
			samples: [...this.samples],
		};
	}
}
