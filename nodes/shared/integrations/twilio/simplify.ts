/**
 * The Simplify toggle of the commands that create a Twilio resource: on, the
 * short result this package has always given; off, the resource as Twilio
 * answered it (`sid`, `date_created`, `price`, `error_code` …), which is what
 * n8n's own Twilio node outputs, so mappings written for it keep working.
 */
import type { INodeProperties } from 'n8n-workflow';

import { optionalBoolean } from '../../commands/arguments';
import type { CommandArguments } from '../../commands/types';
import type { JsonObject } from '../../store/types';

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		"Whether to return a short summary instead of Twilio's response as it is (sid, date_created, price, error_code …, the fields n8n's Twilio node returns)",
};

/** True unless the arguments say `simplify: false`. */
export function readSimplify(args: CommandArguments): boolean {
	return optionalBoolean(args, 'simplify') ?? true;
}

/** The command's result: the summary, or Twilio's own resource when Simplify is off. */
export function simplified(
	simplify: boolean,
	resource: JsonObject,
	summary: () => JsonObject,
): JsonObject {
	return simplify ? summary() : resource;
}
