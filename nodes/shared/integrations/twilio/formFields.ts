/**
 * Reading the form fields Twilio posts to a webhook: every value is text,
 * and a field Twilio leaves out reads as empty.
 */
export type TwilioFormFields = Record<string, unknown>;

export function formField(params: TwilioFormFields, name: string): string {
	const value = params[name];
	return typeof value === 'string' ? value : '';
}

/** A numeric field (a duration, a confidence); null when missing or not a number. */
export function numberOrNull(text: string): number | null {
	if (text === '') return null;
	const number = Number(text);
	return Number.isFinite(number) ? number : null;
}
