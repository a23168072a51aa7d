// Reported to the control plane at enrolment and in inventory; bump with releases.
export const AGENT_VERSION = "0.1.0";
