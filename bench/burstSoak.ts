/**
 * The soak of the fire-delivery issue, in `npm run bench` rather than in
 * `npm test`: 20,000 timers due at one instant into one n8n with the
 * default Max Runs at Once, every fire delivered, n8n's memory flat. It is
 * the end-to-end test `npm test` runs with 3,000 timers
 * (test/e2e/fireDelivery.test.ts), run here at full size; it prints the
 * test's own report lines (delivery time, the most runs unfinished at once,
 * RSS before, per quarter and after) and fails loudly if an assertion does.
 * Also runnable alone: node -r ./test/support/ts-register.js bench/burstSoak.ts
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
export const SOAK_TIMERS = 20_000;

export function benchBurstSoak(): void {
	process.stdout.write(
		`Fire delivery soak (${SOAK_TIMERS.toLocaleString('en')} timers due at one instant, default Max Runs at Once; the e2e burst test at full size)\n`,
	);
	const run = spawnSync(
		join(ROOT, 'node_modules', '.bin', 'jest'),
		['test/e2e/fireDelivery.test.ts', '-t', 'timers due at one instant'],
		{
			cwd: ROOT,
			stdio: 'inherit',
			env: { ...process.env, E2E_BURST_TIMERS: String(SOAK_TIMERS) },
		},
	);
	if (run.status !== 0)
		process.stdout.write(`  SOAK FAILED: jest exited with ${String(run.status ?? run.signal)}\n`);
}

if (require.main === module) benchBurstSoak();
