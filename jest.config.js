/** @type {import('jest').Config} */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	// Building the package and installing it into n8n is only needed by the
	// end-to-end tests; `npm run test:unit` skips it.
	globalSetup: process.env.AGENT_CONNECTORS_SKIP_E2E_SETUP
		? undefined
		: '<rootDir>/test/support/globalSetup.ts',
};
