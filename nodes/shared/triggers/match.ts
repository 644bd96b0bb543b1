/** Whether a value passes a trigger filter: empty accepts anything; `pattern` allows * and ? wildcards. */
export function matchesFilter(
	filter: string,
	value: string,
	mode: 'exact' | 'pattern' = 'exact',
): boolean {
	const wanted = filter.trim();
	if (wanted === '') return true;
	if (mode === 'exact') return wanted === value;
	const expression = wanted
		.replace(/[.+^${}()|[\]\\]/g, '\\$&')
		.replace(/\*/g, '.*')
		.replace(/\?/g, '.');
	return new RegExp(`^${expression}$`).test(value);
}
