/** Where things are: the project, the n8n it runs in, the shared nodes folder, Node 24. */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..', '..');
export const PACKAGE_NAME = 'n8n-nodes-agent-connectors';
export const N8N_VERSION = process.env.N8N_VERSION ?? '2.40.7';
export const N8N_DIR =
	process.env.N8N_CACHE_DIR ?? join(PROJECT_ROOT, '.cache', `n8n-${N8N_VERSION}`);
/**
 * The nodes folder every test instance links to, filled once per test run.
 * It must lie outside the project: from inside, Node's upward module lookup
 * would find the project's own node_modules (its dev copy of n8n-workflow)
 * before the copy n8n provides, which no real installation does.
 */
export const SHARED_NODES_DIR = join(
	tmpdir(),
	`agent-connectors-e2e-${createHash('sha1').update(PROJECT_ROOT).digest('hex').slice(0, 10)}`,
	'nodes',
);

/** Node 24 from the `node` devDependency: n8n 2.x refuses older Node. */
export const NODE_BIN = join(PROJECT_ROOT, 'node_modules', 'node', 'bin', 'node');
export const N8N_ENTRY = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

/** Type prefix users' workflows carry for a community package. */
export const NODE_TYPE_PREFIX = `${PACKAGE_NAME}.`;
