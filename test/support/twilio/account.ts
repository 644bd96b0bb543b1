/** The account, and what every API 2010 resource with a SID shares: its path and its common fields. */
import type { TwilioServer } from './server';
import type { TwilioContext, TwilioHandler } from './types';
import { rfc2822 } from './wire';

export function accountPath(server: TwilioServer): string {
	return `/2010-04-01/Accounts/${server.accountSid}`;
}

/** The fields every API 2010 resource with a SID has, and the path it lives at. */
export function resourceBase(
	context: TwilioContext,
	collection: string,
	state: { sid: string; createdAt: Date; updatedAt: Date },
): { base: string; fields: Record<string, unknown> } {
	const base = `${accountPath(context.server)}/${collection}/${state.sid}`;
	return {
		base,
		fields: {
			sid: state.sid,
			account_sid: context.server.accountSid,
			date_created: rfc2822(state.createdAt),
			date_updated: rfc2822(state.updatedAt),
			api_version: '2010-04-01',
			uri: `${base}.json`,
		},
	};
}

export const ACCOUNT_HANDLERS: Readonly<Record<string, TwilioHandler>> = {
	FetchAccount: (context) => ({
		status: 200,
		body: context.server.shape(context.operation, {
			sid: context.server.accountSid,
			friendly_name: 'Test account',
			status: 'active',
			type: 'Full',
			date_created: rfc2822(new Date(0)),
			date_updated: rfc2822(new Date(0)),
			uri: `${accountPath(context.server)}.json`,
		}),
	}),
};
