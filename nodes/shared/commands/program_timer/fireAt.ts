// The Twilio integrations still import fireAt from here; this path goes when they move to integrations/ (on merge).
export { parseFireAt } from '../../integrations/program_timer/fireAt';
