/** Installing the packed build into a nodes folder as n8n's community-package installer does. */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { PACKAGE_NAME, PROJECT_ROOT } from './paths';

const run = promisify(execFile);

function npmEnv(): NodeJS.ProcessEnv {
	const nodeBinDir = join(PROJECT_ROOT, 'node_modules', 'node', 'bin');
	return { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH ?? ''}` };
}

/**
 * Installs the built package (dist/) into `nodesDir` the way n8n's
 * community-package installer does: the packed tarball extracted into
 * `node_modules/<name>`, dev / peer / optional dependencies stripped from its
 * package.json, then `npm install` inside it with n8n's flags.
 */
export async function installPackageInto(nodesDir: string): Promise<string> {
	const packDir = await mkdtemp(join(tmpdir(), 'agent-connectors-pack-'));
	try {
		const { stdout } = await run(
			'npm',
			['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir],
			{
				cwd: PROJECT_ROOT,
				env: npmEnv(),
			},
		);
		const tarball = join(packDir, stdout.trim().split('\n').pop() ?? '');
		const packageDir = join(nodesDir, 'node_modules', PACKAGE_NAME);
		await rm(packageDir, { recursive: true, force: true });
		await mkdir(packageDir, { recursive: true });
		await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);

		const manifestPath = join(packageDir, 'package.json');
		const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown>;
		delete manifest.devDependencies;
		delete manifest.peerDependencies;
		delete manifest.optionalDependencies;
		await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
		await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: packageDir, env: npmEnv() },
		);
		assertUsesN8nsOwnWorkflowPackage(packageDir);
		const version = String(manifest.version);
		await writeFile(
			join(nodesDir, 'package.json'),
			JSON.stringify(
				{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: version } },
				null,
				2,
			),
		);
		return packageDir;
	} finally {
		await rm(packDir, { recursive: true, force: true });
	}
}

/**
 * An installed community package must get `n8n-workflow` from n8n itself
 * (n8n puts its own modules on NODE_PATH); a copy found on the way up from
 * the package folder would shadow it and break n8n's `instanceof` checks.
 */
function assertUsesN8nsOwnWorkflowPackage(packageDir: string): void {
	let shadowing: string | undefined;
	try {
		shadowing = createRequire(join(packageDir, 'package.json')).resolve('n8n-workflow');
	} catch {
		return;
	}
	throw new Error(
		`${packageDir} would load n8n-workflow from ${shadowing} instead of n8n's own copy`,
	);
}
