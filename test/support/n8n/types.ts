/** What the harness takes and gives: instance options, CLI results, workflows, run data. */
export interface N8nInstanceOptions {
	/** Extra environment for n8n (e.g. AGENT_CONNECTORS_STORE, GENERIC_TIMEZONE). */
	env?: Record<string, string>;
	/** A fixed user folder (kept on dispose); a fresh temporary one by default. */
	userFolder?: string;
	port?: number;
	/**
	 * How the package gets into `<user folder>/.n8n/nodes`: linked to the
	 * folder the test run filled (default), installed afresh from dist/, or
	 * copied from a nodes folder it was installed into (the same files as an
	 * install, without running npm again).
	 */
	nodes?: 'link' | 'install' | { copyOf: string };
}

export interface CliResult {
	code: number;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface OutputItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number } | Array<{ item: number }>;
}

export interface NodeRun {
	data?: { main: Array<OutputItem[] | null> };
	error?: { message: string; description?: string; [key: string]: unknown };
	executionStatus?: string;
}

export interface ExecutionResult {
	/** Whether n8n reported success. */
	ok: boolean;
	runData: Record<string, NodeRun[]>;
	/** The error n8n reported for the whole execution, when it failed. */
	error?: { message: string; description?: string; node?: { name: string } };
	raw: CliResult;
}
