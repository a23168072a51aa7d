// The workers' health listener, for probes (the workers serve no other HTTP):
//   GET /livez   200 while every BullMQ worker of this process runs; 503 when one has
//                stopped for good, so a liveness probe restarts the process. Redis being
//                away does not fail it: a restart would not bring Redis back.
//   GET /readyz  200 when the Redis connection is up and every job scheduler was found
//                (or re-created) by the last check; 503 otherwise, naming which.
// An HTTP port rather than a heartbeat key checked by a CLI: Kubernetes and compose
// probe it without a shell, a Redis client or a process start per probe, and it still
// answers when Redis is the thing that is down.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { RunningWorkers } from "./run";

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

export async function startHealthServer(running: RunningWorkers, port: number, host = "127.0.0.1"): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const answer = (status: number, body: object) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET" && req.method !== "HEAD") return answer(405, { error: "method not allowed" });
    if (path === "/livez") {
      const stopped = running.workers.filter((w) => !w.isRunning()).map((w) => w.name);
      return answer(stopped.length ? 503 : 200, { status: stopped.length ? "error" : "ok", ...(stopped.length ? { stoppedQueues: stopped } : {}) });
    }
    if (path === "/readyz" || path === "/healthz") {
      const h = running.health();
      const ok = h.redis && h.schedules;
      return answer(ok ? 200 : 503, { status: ok ? "ok" : "error", redis: h.redis ? "ok" : "down", schedules: h.schedules ? "ok" : "unchecked" });
    }
    answer(404, { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
