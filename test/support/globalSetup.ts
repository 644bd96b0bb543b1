import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PROJECT_ROOT, SHARED_NODES_DIR, installPackageInto } from './n8n';

const run = promisify(execFile);

/**
 * Once per test run: build the package, make sure the pinned n8n is
 * installed, and install the fresh build the way n8n installs community
 * packages, into the nodes folder every test instance links to.
 */
export default async function globalSetup(): Promise<void> {
	const options = { cwd: PROJECT_ROOT, maxBuffer: 64 * 1024 * 1024 };
	await run('npm', ['run', '--silent', 'build'], options);
	await run('bash', [join(PROJECT_ROOT, 'scripts', 'ensure-n8n.sh')], options);
	await rm(SHARED_NODES_DIR, { recursive: true, force: true });
	await installPackageInto(SHARED_NODES_DIR);
}
