import type { CommandContext } from '../../nodes/shared/commands/types';
import { findCommand } from '../../nodes/shared/integrations/registry';
import { awaitReply, openReplyTurn } from '../../nodes/shared/integrations/twilio_messenger/reply';
import { openSmsSession } from '../../nodes/shared/integrations/twilio_messenger/session';
import { readActionForm } from '../../nodes/SendCommand/actionForm';
import { commandListNotices } from '../../nodes/SendCommand/commandList';
import { MemoryStore } from '../../nodes/shared/store';
import { runCommand, sendCommandContext } from '../support/runCommand';

const TENANT = '+12345556789';
const USER = '+18765554321';
const CONNECTOR = 'sms_connector';

describe('session actions under their other names', () => {
	test.each([
		['setSessionTimeoutCount', 'set_session_timeout'],
		['terminateSession', 'terminate_session'],
		['smsActSendMedia', 'send_media'],
		['smsActForceNoInputTurn', 'force_no_input_turn'],
	])('%s runs %s', (alias, commandIdn) => {
		expect(findCommand('twilio_messenger', alias).commandIdn).toBe(commandIdn);
	});

	test('an unknown command lists the other names too', () => {
		expect(() => findCommand('twilio_messenger', 'smsActSetOptionsConfig')).toThrow(
			'Valid commands: send_message, start_session, set_session_timeout, setSessionTimeoutCount, terminate_session, terminateSession, force_no_input_turn, smsActForceNoInputTurn, send_media, smsActSendMedia',
		);
	});

	test("Send Command's command list names each command with its other names", () => {
		const notice = commandListNotices.find(
			(property) => property.name === 'commandsOf_twilio_messenger',
		);
		expect(notice?.displayName).toBe(
			'Commands: send_message, start_session, set_session_timeout (also setSessionTimeoutCount), terminate_session (also terminateSession), force_no_input_turn (also smsActForceNoInputTurn), send_media (also smsActSendMedia), send_conversation_message (also SendMessage, SendRichContentMessage)',
		);
		expect(notice?.displayOptions).toEqual({ show: { integrationIdn: ['twilio_messenger'] } });
	});
});

describe('the action form {command, parameters}', () => {
	const seedAction = { command: 'setSessionTimeoutCount', parameters: { count: 200 } };

	test('as the whole arguments, with Command smsAction', () => {
		expect(readActionForm('smsAction', { ...seedAction, phoneNumber: USER })).toEqual({
			commandIdn: 'setSessionTimeoutCount',
			arguments: { count: 200, phoneNumber: USER },
		});
	});

	test('as an smsAction argument written as JSON text (a key / value argument)', () => {
		expect(
			readActionForm('smsAction', {
				smsAction: JSON.stringify(seedAction),
				smsSessionID: 'abc',
			}),
		).toEqual({
			commandIdn: 'setSessionTimeoutCount',
			arguments: { count: 200, smsSessionID: 'abc' },
		});
	});

	test("inside output, as a dialog node's output carries it, with any Command naming the same", () => {
		const media = {
			command: 'smsActSendMedia',
			parameters: { mediaURL: ['https://exampleonly.com/a.gif', 'https://exampleonly.com/b.gif'] },
		};
		expect(readActionForm('smsActSendMedia', { output: { smsAction: media } })).toEqual({
			commandIdn: 'smsActSendMedia',
			arguments: { mediaURL: media.parameters.mediaURL },
		});
	});

	test('an action without parameters runs with the other arguments only', () => {
		expect(
			readActionForm('smsAction', {
				smsAction: { command: 'terminateSession' },
				smsSessionID: 'x',
			}),
		).toEqual({ commandIdn: 'terminateSession', arguments: { smsSessionID: 'x' } });
	});

	test('arguments without an action are left as they are', () => {
		const args = { command: 'ls', text: 'hi' };
		expect(readActionForm('run', args)).toEqual({ commandIdn: 'run', arguments: args });
	});

	test('a Command naming another command than the action is refused naming the field', () => {
		expect(() => readActionForm('terminate_session', { smsAction: seedAction })).toThrow(
			"Command 'terminate_session' differs from the command 'setSessionTimeoutCount' the action names",
		);
	});

	test('an action without a command, or not an object, is refused naming the argument', () => {
		expect(() => readActionForm('smsAction', { parameters: { count: 1 } })).toThrow(
			'Argument \'command\' has no "command"',
		);
		expect(() => readActionForm('x', { smsAction: '{"command": ' })).toThrow(
			"Argument 'smsAction' is not valid JSON",
		);
		expect(() => readActionForm('x', { smsAction: '[1]' })).toThrow(
			"Argument 'smsAction' must be a JSON object",
		);
	});

	test('a parameter also given as an argument is refused', () => {
		expect(() => readActionForm('smsAction', { ...seedAction, count: '5' })).toThrow(
			"Argument 'count' is given twice",
		);
	});
});

describe('session actions find the session by its smsSessionID', () => {
	let store: MemoryStore;
	let context: CommandContext;

	beforeEach(() => {
		store = new MemoryStore();
		context = sendCommandContext(store);
	});

	const run = async (commandIdn: string, args: Record<string, string | number>) =>
		await runCommand(context, {
			integrationIdn: 'twilio_messenger',
			commandIdn,
			connectorIdn: CONNECTOR,
			arguments: args,
		});

	async function started() {
		const { session } = await openSmsSession(store, {
			connectorIdn: CONNECTOR,
			tenantNumber: TENANT,
			userNumber: USER,
		});
		return session;
	}

	test("setSessionTimeoutCount with the seed's parameters and an smsSessionID sets that session's timeout", async () => {
		const session = await started();
		const act = await run('setSessionTimeoutCount', {
			smsSessionID: String(session.state.smsSessionID),
			count: 200,
		});
		expect(act.commandIdn).toBe('set_session_timeout');
		expect(act.result).toMatchObject({
			sessionId: session.id,
			smsSessionTimeoutCount: 200,
			smsUserPhoneNumber: USER,
		});
		expect((await store.getSession(session.id))?.timeoutSeconds).toBe(200);
	});

	test('terminateSession by smsSessionID ends it, and the ID then names nothing', async () => {
		const session = await started();
		const smsSessionID = String(session.state.smsSessionID);
		const act = await run('terminateSession', { smsSessionID });
		expect(act.result).toMatchObject({ terminated: true, status: 'ended' });
		await expect(run('force_no_input_turn', { smsSessionID })).rejects.toThrow(
			`Argument 'smsSessionID' names no active SMS session on connector ${CONNECTOR}: "${smsSessionID}"`,
		);
		// The user writes again: a new session ID, which the actions find.
		const again = await started();
		expect(again.state.smsSessionID).not.toBe(smsSessionID);
		const forced = await run('smsActForceNoInputTurn', {
			smsSessionID: String(again.state.smsSessionID),
		});
		expect(forced.result).toMatchObject({ noInputTurn: true, sessionId: session.id });
	});

	test('an unknown smsSessionID, or one of another connector, is refused before anything is stored', async () => {
		const session = await started();
		await expect(
			runCommand(context, {
				integrationIdn: 'twilio_messenger',
				commandIdn: 'set_session_timeout',
				connectorIdn: 'other_connector',
				arguments: { smsSessionID: String(session.state.smsSessionID), count: 5 },
			}),
		).rejects.toThrow("Argument 'smsSessionID' names no active SMS session");
		expect(await store.listActs()).toEqual([]);
		expect((await store.getSession(session.id))?.timeoutSeconds).toBeNull();
	});

	test("smsActSendMedia with the seed's parameters and an smsSessionID goes to the session's user, from its number", async () => {
		const session = await started();
		// A trigger holding the user's message takes the media as its answer, so nothing needs Twilio here.
		const deadline = Date.now() + 3_000;
		const turn = await openReplyTurn(store, session, deadline);
		const answered = awaitReply(store, session.id, turn, deadline);
		const media = [
			'https://exampleonly.com/media/first.gif',
			'https://exampleonly.com/media/second.gif',
		];
		const act = await run('smsActSendMedia', {
			mediaURL: JSON.stringify(media),
			smsSessionID: String(session.state.smsSessionID),
		});
		expect(act).toMatchObject({
			commandIdn: 'send_media',
			status: 'sent',
			result: { to: USER, from: TENANT, deliveredBy: 'webhook', numMedia: '2' },
		});
		await expect(answered).resolves.toMatchObject({ text: null, media });
	});

	test('send media to an unknown session, or without media, is refused before anything is stored', async () => {
		await expect(
			run('send_media', { mediaURL: 'https://a.example/x.gif', smsSessionID: 'nope' }),
		).rejects.toThrow("Argument 'smsSessionID' names no active SMS session");
		await expect(run('send_media', { smsSessionID: 'nope' })).rejects.toThrow(
			"Argument 'mediaURL' is required",
		);
		expect(await store.listActs()).toEqual([]);
	});

	test('without an smsSessionID the numbers are still required', async () => {
		await expect(run('terminate_session', { phoneNumber: USER })).rejects.toThrow(
			"Argument 'tenantPhoneNumber' is required",
		);
	});
});
