import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**'] },
	...configWithoutCloudSupport,
	{
		// This package targets self-hosted n8n only: its timer engine, store
		// file and (later) Redis need runtime dependencies, which n8n's rule
		// for verified (cloud) packages forbids. Every other rule stays on.
		files: ['package.json'],
		rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' },
	},
	{
		// Tests and benchmarks start n8n, servers, concurrent store writers
		// and fresh Node processes. The rule guards shipped node code against
		// command injection; this code is not shipped and runs fixed commands.
		files: ['test/**/*.ts', 'bench/**/*.ts'],
		rules: { '@n8n/community-nodes/no-dangerous-functions': 'off' },
	},
];
