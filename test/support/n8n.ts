/**
 * Runs this package inside a real n8n, the way users run it: the built
 * package installed into `<user folder>/.n8n/nodes` exactly as n8n's own
 * community-package installer lays it out, an isolated user folder per
 * instance, SQLite as n8n's database.
 */
export {
	N8N_DIR,
	N8N_VERSION,
	NODE_BIN,
	NODE_TYPE_PREFIX,
	PACKAGE_NAME,
	PROJECT_ROOT,
	SHARED_NODES_DIR,
} from './n8n/paths';
export { freePort, n8nBaseEnv, outsideTestRunner } from './n8n/env';
export { installPackageInto } from './n8n/install';
export {
	countExecutions,
	countExecutionsOf,
	openReadOnly,
	readExecutionData,
	readRunData,
	readExecutions,
	type ExecutionCounts,
	type ExecutionRow,
} from './n8n/database';
export { RssSampler, residentBytes, type RssSummary } from './n8n/processes';
export { N8nInstance } from './n8n/instance';
export { outputOf } from './n8n/execution';
export type {
	CliResult,
	ExecutionResult,
	N8nInstanceOptions,
	NodeRun,
	OutputItem,
	WorkflowJson,
} from './n8n/types';
