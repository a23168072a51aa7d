// Entry of the agent API process: `tsx server/agent-api/main.ts`.
// AGENT_API_PORT (default 3100) and AGENT_API_HOST (default 0.0.0.0) say where it listens.
process.env.ISTHMUS_SERVICE ??= "agent-api";

const { env } = await import("../env");
const { logger } = await import("../logger");
const { closeDb } = await import("../db/client");
const { closeRedis } = await import("../redis");
const { createAgentApiServer } = await import("./server");

const host = process.env.AGENT_API_HOST?.trim() || "0.0.0.0";
const api = await createAgentApiServer();
const { url } = await api.listen(env().AGENT_API_PORT, host);
logger.info({ url }, "agent API listening");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "agent API shutting down");
  const force = setTimeout(() => {
    logger.error("shutdown took too long; exiting");
    process.exit(1);
  }, 15_000);
  force.unref();
  try {
    await api.close();
    await closeRedis();
    await closeDb();
  } catch (err) {
    logger.error({ err }, "error during shutdown");
    process.exitCode = 1;
  }
  process.exit();
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
export {};
