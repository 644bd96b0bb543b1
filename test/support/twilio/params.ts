/** Reading form parameters as Twilio sends them: one string, or every value of a repeated key. */
import type { TwilioParams } from './types';

export function has(params: TwilioParams, name: string): boolean {
	return params[name] !== undefined && params[name] !== '';
}

export function first(params: TwilioParams, name: string): string | undefined {
	const value = params[name];
	return Array.isArray(value) ? value[0] : value;
}

export function all(params: TwilioParams, name: string): string[] {
	const value = params[name];
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [value];
}

export function booleanParam(params: TwilioParams, name: string): boolean | undefined {
	const value = first(params, name)?.toLowerCase();
	return value === undefined ? undefined : value === 'true';
}
