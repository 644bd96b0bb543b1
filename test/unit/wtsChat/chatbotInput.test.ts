import { readInput } from '../../../nodes/shared/integrations/wts_chat/chatbotInput';

const BOT = '6f1c2b9a-3d4e-4f5a-8b6c-7d8e9f0a1b2c';

describe('send_chatbot request body', () => {
	test('skip and force flags not given go as false, as the node sends them', () => {
		const { body } = readInput({ botKey: BOT, from: '5511999990000', to: '5511988887777' }, 'wts');
		expect(body.options).toEqual({
			skipIfBotInExecution: false,
			skipIfInProgress: false,
			forceStartSession: false,
		});
	});

	test('flags given as text or booleans keep their value; Hidden Session only when given', () => {
		const { body } = readInput(
			{
				botKey: BOT,
				from: '5511999990000',
				to: '5511988887777',
				skipIfInProgress: 'true',
				forceStartSession: true,
				hiddenSession: false,
			},
			'wts',
		);
		expect(body.options).toEqual({
			skipIfBotInExecution: false,
			skipIfInProgress: true,
			forceStartSession: true,
			hiddenSession: false,
		});
	});
});
