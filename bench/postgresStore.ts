/**
 * PostgreSQL for a bench: a database of its own on the store tests' server
 * (AGENT_CONNECTORS_TEST_POSTGRES, default this machine's), dropped
 * afterwards, so a bench never touches a real installation's store.
 */
import { PostgresStore } from '../nodes/shared/store/postgres';
import { createTestDatabase, type TestDatabase } from '../test/store/postgresDatabase';

export const temporaryPostgresDatabase = (): Promise<TestDatabase> => createTestDatabase();

/** A store in a fresh database; `drop` closes it and drops the database. */
export async function temporaryPostgresStore(): Promise<{
	store: PostgresStore;
	drop: () => Promise<void>;
}> {
	const database = await createTestDatabase();
	const store = await PostgresStore.open(database.freshTarget());
	return {
		store,
		async drop() {
			await store.close();
			await database.drop();
		},
	};
}
