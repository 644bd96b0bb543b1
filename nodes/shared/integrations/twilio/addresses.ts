/** Phone numbers and channel addresses as Twilio takes them, shared by calls and messages. */

/** E.164: a plus, a country code that does not start with 0, at most 15 digits in all. */
export const E164_PATTERN = String.raw`\+[1-9]\d{1,14}`;

export const E164 = new RegExp(`^${E164_PATTERN}$`);

/** An E.164 number or any of `others` (regular expression sources), unanchored: for a picker's by-value check. */
export function addressSource(...others: string[]): string {
	return `(?:${[E164_PATTERN, ...others].join('|')})`;
}

/** Matches an E.164 number or any of `others` (regular expression sources), the whole text. */
export function addressPattern(...others: string[]): RegExp {
	return new RegExp(`^${addressSource(...others)}$`);
}
