// Entry of the agent API process: `tsx server/agent-api/main.ts`.
// AGENT_API_PORT (default 3100) and AGENT_API_HOST (default 0.0.0.0) say where it listens;
// AGENT_API_PROCESSES > 1 runs that many processes on the port under a primary (primary.ts).
import cluster from "node:cluster";

process.env.ISTHMUS_SERVICE ??= "agent-api";

const { env } = await import("../platform/env");
const { logger } = await import("../platform/logger");

if (cluster.isPrimary && env().AGENT_API_PROCESSES > 1) {
  const { runPrimary } = await import("./primary");
  process.exit(await runPrimary({ processes: env().AGENT_API_PROCESSES, log: logger }));
}

const { closeDb } = await import("../platform/db/client");
const { closeRedis } = await import("../platform/redis");
const { createAgentApiServer } = await import("./server");
const { clusterSiblings } = await import("./siblings");

const host = process.env.AGENT_API_HOST?.trim() || "0.0.0.0";
const api = await createAgentApiServer({ siblings: cluster.isWorker ? clusterSiblings() : undefined });
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
