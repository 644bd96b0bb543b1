/** Reading the run data `n8n execute` prints, and the items a node put out. */
import type { CliResult, ExecutionResult, NodeRun, OutputItem } from './types';

interface RunJson {
	data: { resultData: { runData: Record<string, NodeRun[]>; error?: ExecutionResult['error'] } };
	status?: string;
	finished?: boolean;
}

/**
 * Finds the run JSON n8n printed among its log lines: pretty-printed, it
 * starts with a line `{` and ends with a line `}` at the first column.
 */
function extractRunJson(text: string): RunJson | undefined {
	const lines = text.split('\n');
	for (let first = 0; first < lines.length; first++) {
		if (lines[first].trimEnd() !== '{') continue;
		for (let last = first + 1; last < lines.length; last++) {
			if (lines[last].trimEnd() !== '}') continue;
			try {
				const parsed = JSON.parse(lines.slice(first, last + 1).join('\n')) as RunJson;
				if (parsed?.data?.resultData) return parsed;
			} catch {
				// Not the whole object yet; try the next closing line.
			}
		}
	}
	return undefined;
}

/**
 * n8n 2.40.7's `execute` command crashes with SIGSEGV while the process exits
 * when its default expression engine (isolated-vm) is on: the run has
 * finished and its JSON is printed before the crash (seen with the prebuilt
 * and with a source-built isolated-vm, on Node 24.19 and 24.21). So a
 * SIGSEGV counts as a normal exit only once the complete run JSON is there.
 */
function exitedNormally(result: CliResult, run: RunJson | undefined): boolean {
	if (result.code === 0) return true;
	return result.signal === 'SIGSEGV' && run?.finished !== undefined;
}

export function parseExecution(result: CliResult): ExecutionResult {
	const run = extractRunJson(`${result.stdout}\n${result.stderr}`);
	if (exitedNormally(result, run) && run?.status === 'success') {
		return { ok: true, runData: run.data.resultData.runData, raw: result };
	}
	if (run) {
		return {
			ok: false,
			runData: run.data.resultData.runData,
			error: run.data.resultData.error,
			raw: result,
		};
	}
	throw new Error(
		`n8n execute failed (exit ${result.code}, signal ${result.signal}) without run data:\n${result.stdout}\n${result.stderr}`,
	);
}

/** The items a node put on one of its outputs in its first run. */
export function outputOf(execution: ExecutionResult, nodeName: string, output = 0): OutputItem[] {
	const runs = execution.runData[nodeName];
	if (!runs || runs.length === 0) {
		throw new Error(
			`node '${nodeName}' did not run; ran: ${Object.keys(execution.runData).join(', ')}`,
		);
	}
	return runs[0].data?.main[output] ?? [];
}
