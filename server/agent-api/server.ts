// The agent API process: a plain node:http server for /api/agent/v1 (DESIGN §1: the
// lean path for heartbeats and thousands of held long-polls), with the process's
// Redis subscriber. Writing the hot state to Postgres is the workers' job; this process
// does it too only when AGENT_API_FLUSH_MS asks (a flush of a second's heartbeats held
// its event loop for tens of milliseconds, which every heartbeat in that window waited).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ERROR_CODES, PROTOCOL_BASE_PATH } from "../../protocol/index";
import { flushClusterState } from "../clusters/flush-cluster-state";
import { sampleSpool } from "../gateways/sample-spool";
import type { RevisionWaiters, Waiter } from "../config/revision-waiters";
import { env } from "../platform/env";
import { AppError } from "../platform/errors";
import { logger as rootLogger } from "../platform/logger";
import { configPolls } from "./config-poll";
import { closeAfterResponse, sendAppError, sendError } from "./http";
import { INSTALL_PREFIX, ROUTES } from "./routes";
import type { Siblings } from "./siblings";
import { startSubscriber } from "./subscriber";

/**
 * Path and query string of a request target. The origin form agents and the Next.js
 * rewrite send ("/path?query") is split by hand, a URL object per heartbeat being
 * garbage for nothing; any other form goes through URL.
 */
function requestTarget(target: string): { pathname: string; search: string } {
  if (target.startsWith("/") && !target.startsWith("//")) {
    const cut = target.indexOf("?");
    return cut < 0 ? { pathname: target, search: "" } : { pathname: target.slice(0, cut), search: target.slice(cut + 1) };
  }
  try {
    const url = new URL(target, "http://agent-api");
    return { pathname: url.pathname, search: url.search.slice(1) };
  } catch {
    // Unparseable: answered 404 like any unknown path, never a thrown error.
    return { pathname: target, search: "" };
  }
}

export interface AgentApiOptions {
  /** Flush dirty hot state to Postgres this often (ms); 0 disables. Default: AGENT_API_FLUSH_MS. */
  flushIntervalMs?: number;
  /** Enrolment attempts per source address per minute. Default: AGENT_ENROL_PER_MINUTE. */
  enrolRatePerMinute?: number;
  /** The other processes on this port, when there are several (primary.ts). */
  siblings?: Siblings;
}

export interface AgentApiServer {
  server: http.Server;
  waiters: Pick<RevisionWaiters<Waiter>, "size" | "notify" | "recheckAll" | "closeAll">;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stop accepting, answer held long-polls with 204, finish in-flight requests, flush once if flushing. */
  close(): Promise<void>;
}

export async function createAgentApiServer(opts: AgentApiOptions = {}): Promise<AgentApiServer> {
  const log = rootLogger.child({ component: "agent-api" });
  const enrolRatePerMinute = opts.enrolRatePerMinute ?? env().AGENT_ENROL_PER_MINUTE;
  const fail = (res: http.ServerResponse, err: unknown, path: string) => {
    if (sendAppError(res, err)) return;
    log.error({ err, path }, "agent API request failed");
    sendError(res, 500, "INTERNAL", "internal error; retry later");
  };
  const polls = configPolls((res, err) => fail(res, err, PROTOCOL_BASE_PATH + "/config"));
  const { waiters } = polls;
  let closing = false;
  const { siblings } = opts;
  siblings?.start(() => waiters.size);
  const health = () => ({
    status: closing ? "closing" : "ok",
    heldLongPolls: siblings ? siblings.heldLongPolls(waiters.size) : waiters.size,
    ...(siblings ? { processes: siblings.processes(), heldHere: waiters.size } : {}),
  });

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  // Long-polls hold up to 60 s; keep idle keep-alive connections a little past that.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = requestTarget(req.url ?? "/");
    const path =
      url.pathname === "/healthz" ? "/healthz" : url.pathname.startsWith(PROTOCOL_BASE_PATH + "/") ? url.pathname.slice(PROTOCOL_BASE_PATH.length) : null;
    const route = path === null ? undefined : (ROUTES[path] ?? (path.startsWith(INSTALL_PREFIX) ? ROUTES[INSTALL_PREFIX] : undefined));
    if (!route) return sendError(res, 404, ERROR_CODES.notFound, `no such path: ${url.pathname}`);
    const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
    const handler = route[method];
    if (!handler)
      return sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${url.pathname}; use ${Object.keys(route).join(", ")}`, {
        allow: Object.keys(route).join(", "),
      });
    try {
      await handler({ req, res, search: url.search, polls, enrolRatePerMinute, health });
    } catch (err) {
      if (err instanceof AppError && err.code === "PAYLOAD_TOO_LARGE") closeAfterResponse(req, res);
      fail(res, err, url.pathname);
    }
  }

  const subscriber = await startSubscriber(waiters, log);

  let flushing: Promise<unknown> | null = null;
  const flushOnce = () => {
    flushing ??= flushClusterState()
      .catch((err) => log.error({ err }, "flush failed"))
      .finally(() => (flushing = null));
    return flushing;
  };
  const interval = opts.flushIntervalMs ?? env().AGENT_API_FLUSH_MS;
  const timer = interval > 0 ? setInterval(() => void flushOnce(), interval) : null;
  timer?.unref();

  return {
    server,
    waiters,
    listen(port, host = "0.0.0.0") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const addr = server.address() as AddressInfo;
          const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
          resolve({ port: addr.port, url: `http://${shown}:${addr.port}` });
        });
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      if (timer) clearInterval(timer);
      siblings?.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      waiters.closeAll();
      server.closeIdleConnections();
      // In-flight requests finish; connections left idle after their answer are closed.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      await closed;
      clearInterval(idle);
      await (flushing ?? Promise.resolve());
      if (interval > 0) await flushOnce();
      // The gateway samples this process still holds, before its Redis connection closes.
      await sampleSpool()
        .close()
        .catch((err) => log.error({ err, heldBytes: sampleSpool().held }, "gateway samples could not be pushed at shutdown; they are lost"));
      await subscriber.close();
    },
  };
}
