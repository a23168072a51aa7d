// The agent's version comes from the protocol package, so the console can compare
// reported versions with it without importing the agent.
export { AGENT_VERSION } from "../protocol/version";
