// The worker process: `npm run workers` (or `tsx workers/index.ts`). Never started
// inside Next.js. SIGTERM/SIGINT let running jobs finish, then close everything.
// Imports are dynamic so the service name is set before the logger reads it.
export {};
process.env.ISTHMUS_SERVICE ??= "worker";

const { logger } = await import("../server/platform/logger");
const { closeDb } = await import("../server/platform/db/client");
const { startWorkers } = await import("./run");
const { env } = await import("../server/platform/env");
const { lowerPriority } = await import("../server/platform/process-priority");

// Before anything runs: the flush and lease evaluation come in bursts, and on cores
// shared with the agent API they must not delay heartbeats (WORKERS_NICE).
const nice = env().WORKERS_NICE;
const priority = lowerPriority(nice);
if (priority.failed) logger.warn({ nice, ...priority }, "could not lower the workers' CPU priority everywhere");

const running = await startWorkers({ log: logger });
const { startHealthServer } = await import("./health-server");
const healthPort = env().WORKERS_HEALTH_PORT;
const health = healthPort ? await startHealthServer(running, healthPort, env().WORKERS_HEALTH_HOST) : null;
if (health) logger.info({ port: health.port, host: env().WORKERS_HEALTH_HOST }, "workers health listener (/livez, /readyz)");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping workers");
  // A job that never ends must not keep the process alive forever.
  const force = setTimeout(() => {
    logger.error("workers did not stop within 25 s; exiting");
    process.exit(1);
  }, 25_000);
  force.unref();
  try {
    await health?.close();
    await running.close();
    await closeDb();
  } finally {
    logger.info("workers stopped");
    process.exit(0);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
