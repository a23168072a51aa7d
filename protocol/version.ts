// The agent version this control plane ships and expects. Reported by the agent at
// enrolment and in inventory; the console flags agents older than it. Bump with
// releases (a test keeps it equal to package.json's version).
export const AGENT_VERSION = "0.1.0";
