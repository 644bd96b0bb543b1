import type { IntegrationDefinition } from '../../commands/types';
import { TWILIO_CREDENTIAL } from '../../transport/credentialTypes';
import { cancelTransfer } from './commands/cancel_transfer.command';
import { completeTask } from './commands/complete_task.command';
import { completeWarmTransfer } from './commands/complete_warm_transfer.command';
import { endConference } from './commands/end_conference.command';
import { endVoiceTask } from './commands/end_voice_task.command';
import { getCall } from './commands/get_call.command';
import { holdParticipant } from './commands/hold_participant.command';
import { makeCall } from './commands/make_call.command';
import { muteParticipant } from './commands/mute_participant.command';
import { redirectCall } from './commands/redirect_call.command';
import { removeParticipant } from './commands/remove_participant.command';
import { sendDigits } from './commands/send_digits.command';
import { setTaskAttributes } from './commands/set_task_attributes.command';
import { setTurnMessage } from './commands/set_turn_message.command';
import { setWorkerActivity } from './commands/set_worker_activity.command';
import { setWorkerAttributes } from './commands/set_worker_attributes.command';
import { startWarmTransfer } from './commands/start_warm_transfer.command';
import { stopCall } from './commands/stop_call.command';
import { transferCall } from './commands/transfer_call.command';
import { transferTask } from './commands/transfer_task.command';
import { unholdParticipant } from './commands/unhold_participant.command';
import { wrapUpTask } from './commands/wrap_up_task.command';
import { VOICE_INTEGRATION } from './constants';

export const twilioVoiceIntegration: IntegrationDefinition = {
	integrationIdn: VOICE_INTEGRATION,
	displayName: 'Twilio Voice',
	description: 'Phone calls over Twilio with the Twilio API credential',
	credential: TWILIO_CREDENTIAL,
	// Each command is one operation of the Make Call node, in this order.
	commands: [
		makeCall,
		stopCall,
		getCall,
		transferCall,
		redirectCall,
		sendDigits,
		holdParticipant,
		unholdParticipant,
		muteParticipant,
		removeParticipant,
		endConference,
		startWarmTransfer,
		completeWarmTransfer,
		cancelTransfer,
		transferTask,
		setTaskAttributes,
		completeTask,
		wrapUpTask,
		endVoiceTask,
		setWorkerActivity,
		setWorkerAttributes,
		setTurnMessage,
	],
};
