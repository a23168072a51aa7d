// Node flags the agent API process runs with (npm start, the benchmark; docker-compose.yml
// and the Dockerfile's usage line repeat them). A heartbeat's garbage is short-lived: a
// larger young generation lets most of it die in a cheap scavenge instead of being
// promoted and marked later, which is where the agent API spent most of its GC time
// under load.
export const AGENT_API_NODE_FLAGS = ["--max-semi-space-size=32"];
