import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

import { PROJECT_ROOT, SHARED_NODES_DIR, installPackageInto } from './n8n';

/** Runs a command with its output shown: the first n8n install takes minutes. */
async function runShown(command: string, args: string[]): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: PROJECT_ROOT,
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0
				? resolve()
				: reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)),
		);
	});
}

/**
 * Once per test run: build the package, make sure the pinned n8n is
 * installed, and install the fresh build the way n8n installs community
 * packages, into the nodes folder every test instance links to.
 */
export default async function globalSetup(): Promise<void> {
	await runShown('npm', ['run', '--silent', 'build']);
	await runShown('bash', [join(PROJECT_ROOT, 'scripts', 'ensure-n8n.sh')]);
	await rm(SHARED_NODES_DIR, { recursive: true, force: true });
	await installPackageInto(SHARED_NODES_DIR);
}
