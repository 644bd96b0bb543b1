import type { SqlValue } from '../sql/rows';

/**
 * The first `count` values of each row, as one array per column: what a
 * statement over unnest($1::text[], $2::bigint[] …) binds to write many rows
 * at once, since a statement has a bounded number of parameters and a row
 * per VALUES list would need one for each value.
 */
export function columnsOf(
	rows: ReadonlyArray<readonly SqlValue[]>,
	count: number,
): Array<Array<string | number | null>> {
	const columns = Array.from({ length: count }, (): Array<string | number | null> => []);
	for (const row of rows) {
		for (let column = 0; column < count; column++) {
			const value = row[column];
			if (typeof value === 'bigint' || value instanceof Uint8Array)
				throw new TypeError('Only text, numbers and nulls go into a column array');
			columns[column].push(value);
		}
	}
	return columns;
}
