import type { INodeProperties } from 'n8n-workflow';

import type { CommandArguments, CommandDefinition } from '../../nodes/shared/commands/types';
import { twilioMessengerIntegration } from '../../nodes/shared/integrations/twilio_messenger/integration';
import { twilioVoiceIntegration } from '../../nodes/shared/integrations/twilio_voice/integration';

/**
 * The properties are the commands' only schema: what a property marks
 * required (top level, shown always) must be refused by validate() when
 * missing, with the words the framework's check used, whichever other
 * required arguments are given.
 */
const VALID: CommandArguments = {
	phoneNumber: '+16507000000',
	callerId: '+16505550100',
	tenantPhoneNumber: '+16505550100',
	callSid: 'CA0123456789abcdef0123456789abcdef',
	conferenceSid: 'CF0123456789abcdef0123456789abcdef',
	participant: 'CA0123456789abcdef0123456789abcdef',
	digits: '1234#',
	text: 'Hello',
	count: 60,
	mediaURL: 'https://example.com/a.gif',
	taskSid: 'WT0123456789abcdef0123456789abcdef',
	workspaceSid: 'WS0123456789abcdef0123456789abcdef',
	workerSid: 'WK0123456789abcdef0123456789abcdef',
	targetSid: 'WQ0123456789abcdef0123456789abcdef',
	attributes: '{"a": 1}',
};

function requiredNames(properties: INodeProperties[]): string[] {
	return properties
		.filter(
			(property) =>
				property.required === true &&
				property.displayOptions === undefined &&
				property.type !== 'notice',
		)
		.map((property) => property.name);
}

const commands: CommandDefinition[] = [
	...twilioVoiceIntegration.commands,
	...twilioMessengerIntegration.commands,
];

const cases = commands.flatMap((command) => {
	const required = requiredNames(command.properties ?? []);
	return required.map((missing) => [command.commandIdn, missing, command, required] as const);
});

describe('Twilio commands refuse a missing required argument', () => {
	test('every Twilio command names its required arguments in its properties', () => {
		expect(
			Object.fromEntries(
				commands.map((command) => [command.commandIdn, requiredNames(command.properties ?? [])]),
			),
		).toEqual({
			make_call: ['phoneNumber'],
			stop_call: ['callSid'],
			get_call: ['callSid'],
			transfer_call: ['callSid', 'phoneNumber'],
			send_digits: ['callSid', 'digits'],
			redirect_call: ['callSid'],
			// The conference is found from the participant's call SID when not given.
			hold_participant: ['participant'],
			unhold_participant: ['participant'],
			mute_participant: ['participant'],
			remove_participant: ['participant'],
			end_conference: ['conferenceSid'],
			// The caller's call SID or the conference SID: validate() asks for one.
			start_warm_transfer: ['phoneNumber'],
			complete_warm_transfer: ['participant'],
			// A conference participant or a task, by Transfer: validate() asks for what the kind needs.
			cancel_transfer: [],
			transfer_task: ['taskSid', 'workspaceSid', 'targetSid'],
			set_task_attributes: ['taskSid', 'workspaceSid', 'attributes'],
			complete_task: ['taskSid', 'workspaceSid'],
			wrap_up_task: ['taskSid', 'workspaceSid'],
			end_voice_task: ['taskSid', 'workspaceSid'],
			// The activity by name or by SID: validate() asks for one.
			set_worker_activity: ['workerSid', 'workspaceSid'],
			set_worker_attributes: ['workerSid', 'workspaceSid', 'attributes'],
			set_turn_message: ['callSid', 'text'],
			send_message: ['phoneNumber'],
			start_session: ['tenantPhoneNumber', 'phoneNumber'],
			// The numbers or an smsSessionID: validate() asks for the numbers when neither is given.
			set_session_timeout: ['count'],
			terminate_session: [],
			force_no_input_turn: [],
			send_media: ['mediaURL'],
			send_conversation_message: ['conversationSid'],
		});
	});

	test.each(cases)('%s without %s', (commandIdn, missing, command, required) => {
		const args: CommandArguments = Object.fromEntries(
			required.filter((name) => name !== missing).map((name) => [name, VALID[name]]),
		);
		// Session actions name their session by numbers or by ID; the ID alone is enough.
		if (command.properties?.some((property) => property.name === 'smsSessionID'))
			args.smsSessionID = 'a23de67h-e527-40d5-a867-5c0ce9e72d0d';
		const given: CommandArguments[] = [
			args,
			...[null, '', '  '].map((blank) => ({ ...args, [missing]: blank })),
		];
		for (const withoutIt of given) {
			expect(() =>
				command.validate(withoutIt, {
					integrationIdn: command.integrationIdn,
					commandIdn,
					connectorIdn: 'c',
					arguments: args,
				}),
			).toThrow(new RegExp(`^Argument '${missing}' is required`));
		}
	});
});
