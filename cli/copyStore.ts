#!/usr/bin/env node
/**
 * n8n-nodes-agent-connectors-copy-store <from> [<to>]
 *
 * Copies a SQLite session store into PostgreSQL, for an installation moving
 * to queue mode. <from> and <to> are written as AGENT_CONNECTORS_STORE
 * takes them (a path or sqlite:<path>; postgres://…). Without <to>, the copy
 * goes where n8n with this environment keeps the store: with DB_TYPE=postgresdb
 * and n8n's DB_POSTGRESDB_* settings, n8n's database, in schema
 * AGENT_CONNECTORS_STORE_SCHEMA (default agent_connectors). Stop n8n first.
 */

import { copyStore } from '../nodes/shared/store/copy';
import { resolveStoreLocation } from '../nodes/shared/store/index';

const USAGE = `Usage: n8n-nodes-agent-connectors-copy-store <from> [<to>]

Copies the session store at <from> (a SQLite file: a path or sqlite:<path>)
into the empty PostgreSQL store at <to> (postgres://user:password@host:5432/db),
or, without <to>, into the one n8n uses with this environment (DB_TYPE=postgresdb
and its DB_POSTGRESDB_* settings), in schema AGENT_CONNECTORS_STORE_SCHEMA
(default agent_connectors). Stop n8n while it runs.
`;

async function main(args: string[]): Promise<number> {
	if (args.length < 1 || args.length > 2 || args.includes('--help') || args.includes('-h')) {
		process.stderr.write(USAGE);
		return args.includes('--help') || args.includes('-h') ? 0 : 2;
	}
	const [from, to] = args;
	const source = resolveStoreLocation({ ...process.env, AGENT_CONNECTORS_STORE: from });
	const target = resolveStoreLocation({ ...process.env, AGENT_CONNECTORS_STORE: to ?? '' });
	const copied = await copyStore(source, target);
	const counts = Object.entries(copied).map(([table, rows]) => `${rows} ${table}`);
	process.stdout.write(`Copied ${counts.join(', ')}.\n`);
	return 0;
}

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	},
);
