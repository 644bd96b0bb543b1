/** Twilio's documented rules between parameters, which no schema keyword states. */
import { all, first, has } from './params';
import type { TwilioParams } from './types';

export interface RuleFinding {
	parameter?: string;
	message: string;
	code: number;
}

function isJsonObject(text: string): boolean {
	try {
		const parsed: unknown = JSON.parse(text);
		return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
	} catch {
		return false;
	}
}

/** Rules between parameters that no schema keyword states; codes are Twilio's where Twilio documents one. */
export const CROSS_PARAMETER_RULES: Readonly<
	Record<string, (params: TwilioParams) => RuleFinding[]>
> = {
	CreateCall: (params) => {
		const findings: RuleFinding[] = [];
		if (!has(params, 'Url') && !has(params, 'Twiml') && !has(params, 'ApplicationSid')) {
			findings.push({
				parameter: 'Url',
				code: 20001,
				message: 'CreateCall needs one of Url, Twiml or ApplicationSid (error 21200)',
			});
		}
		if (has(params, 'Url') && has(params, 'Twiml')) {
			findings.push({
				parameter: 'Twiml',
				code: 20001,
				message:
					'CreateCall: Twiml is ignored when Url is also sent (description: "If both `twiml` and `url` are provided then `twiml` parameter will be ignored")',
			});
		}
		return findings;
	},
	UpdateCall: (params) =>
		has(params, 'Url') && has(params, 'Twiml')
			? [
					{
						parameter: 'Twiml',
						code: 20001,
						message: 'UpdateCall: "Twiml and url parameters are mutually exclusive" (description)',
					},
				]
			: [],
	CreateMessage: (params) => {
		const findings: RuleFinding[] = [];
		if (!has(params, 'From') && !has(params, 'MessagingServiceSid')) {
			findings.push({
				parameter: 'From',
				code: 21603,
				message: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
			});
		}
		if (
			!has(params, 'Body') &&
			all(params, 'MediaUrl').length === 0 &&
			!has(params, 'ContentSid')
		) {
			findings.push({
				parameter: 'Body',
				code: 21602,
				message: 'Message body is required: send Body, MediaUrl or ContentSid',
			});
		}
		if (first(params, 'ScheduleType') === 'fixed') {
			if (!has(params, 'SendAt'))
				findings.push({
					parameter: 'SendAt',
					code: 35111,
					message: "SendAt is required when ScheduleType is 'fixed'",
				});
			if (!has(params, 'MessagingServiceSid')) {
				findings.push({
					parameter: 'MessagingServiceSid',
					code: 35118,
					message: 'MessagingServiceSid is required to schedule a message',
				});
			}
		}
		const variables = first(params, 'ContentVariables');
		if (variables !== undefined) {
			if (!has(params, 'ContentSid')) {
				findings.push({
					parameter: 'ContentVariables',
					code: 20001,
					message:
						'ContentVariables needs ContentSid (description: "`content_sid` parameter must also be provided")',
				});
			}
			if (!isJsonObject(variables)) {
				findings.push({
					parameter: 'ContentVariables',
					code: 20001,
					message: `ContentVariables must be a JSON object as a string, not ${JSON.stringify(variables)}`,
				});
			}
		}
		if (first(params, 'ShortenUrls') === 'true' && !has(params, 'MessagingServiceSid')) {
			findings.push({
				parameter: 'ShortenUrls',
				code: 20001,
				message: 'ShortenUrls=true needs MessagingServiceSid (description)',
			});
		}
		return findings;
	},
	UpdateParticipant: (params) =>
		first(params, 'Coaching') === 'true' && !has(params, 'CallSidToCoach')
			? [
					{
						parameter: 'CallSidToCoach',
						code: 20001,
						message:
							'UpdateParticipant: Coaching=true needs CallSidToCoach (description: "If `true`, `call_sid_to_coach` must be defined")',
					},
				]
			: [],
};
