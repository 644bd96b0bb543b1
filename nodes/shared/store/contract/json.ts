/** What the store keeps verbatim: anything that survives a trip through JSON. */
export type JsonValue =
	string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };
