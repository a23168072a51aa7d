// Prometheus metrics of this process: HTTP requests by route template and status,
// BullMQ queue depths read from Redis at scrape time, how long ago each schedule last
// ran (read from Postgres at scrape time), and Node's process metrics.
// One registry per process, kept on globalThis so Next.js dev reloads don't
// register the same metric twice.
import { randomUUID } from "node:crypto";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { logger } from "./logger";
import { producer, QUEUE_NAMES, staleAfterMs, withTimeout } from "./queues";
import { readSchedules, type ScheduleState } from "./schedule-runs";

const QUEUE_STATES = ["waiting", "active", "delayed", "prioritized", "waiting-children", "failed"] as const;
const SCRAPE_TIMEOUT_MS = 1_000;

type QueueCounts = Array<readonly [string, Record<string, number>]>;

async function scrapeQueues(): Promise<QueueCounts | null> {
  try {
    return await withTimeout(
      Promise.all(
        QUEUE_NAMES.map(
          async (q) =>
            [
              q,
              await producer()
                .queue(q)
                .getJobCounts(...QUEUE_STATES),
            ] as const,
        ),
      ),
      SCRAPE_TIMEOUT_MS,
      `queues not readable within ${SCRAPE_TIMEOUT_MS} ms`,
    );
  } catch (err) {
    // A scrape must answer even when Redis is down: isthmus_queue_up says so.
    logger.warn({ err: (err as Error).message }, "queue metrics unavailable");
    return null;
  }
}

async function scrapeSchedules(): Promise<ScheduleState[] | null> {
  try {
    return await withTimeout(readSchedules(), SCRAPE_TIMEOUT_MS, `schedules not readable within ${SCRAPE_TIMEOUT_MS} ms`);
  } catch (err) {
    logger.warn({ err: (err as Error).message }, "schedule metrics unavailable");
    return null;
  }
}

function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({
    name: "isthmus_http_requests_total",
    help: "HTTP requests answered, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "isthmus_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method, route template and status code.",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Both queue gauges read one scrape, so they always agree.
  let scrape: { at: number; result: Promise<QueueCounts | null> } | undefined;
  const readQueues = () => {
    if (!scrape || Date.now() - scrape.at > 500) scrape = { at: Date.now(), result: scrapeQueues() };
    return scrape.result;
  };
  new Gauge({
    name: "isthmus_queue_up",
    help: "1 when this scrape could read the queues from Redis, else 0.",
    registers: [registry],
    async collect() {
      this.set((await readQueues()) ? 1 : 0);
    },
  });
  new Gauge({
    name: "isthmus_queue_jobs",
    help: "BullMQ jobs per queue and state, read from Redis at scrape time.",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      const counts = await readQueues();
      this.reset();
      for (const [queue, byState] of counts ?? []) for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
    },
  });
  // A schedule that stops running (its scheduler lost with Redis's data, no worker up)
  // shows as a growing age: alert when it passes isthmus_schedule_stale_after_seconds.
  let schedules: { at: number; result: Promise<ScheduleState[] | null> } | undefined;
  const readScheduleStates = () => {
    if (!schedules || Date.now() - schedules.at > 500) schedules = { at: Date.now(), result: scrapeSchedules() };
    return schedules.result;
  };
  new Gauge({
    name: "isthmus_schedule_last_run_age_seconds",
    help: "Seconds since each scheduled job last completed (+Inf when it never ran), read from Postgres at scrape time.",
    labelNames: ["schedule"] as const,
    registers: [registry],
    async collect() {
      const states = await readScheduleStates();
      this.reset();
      for (const s of states ?? []) this.set({ schedule: s.name }, s.ageSeconds ?? Infinity);
    },
  });
  new Gauge({
    name: "isthmus_schedule_stale_after_seconds",
    help: "Age past which a schedule counts as stale in /api/health (two intervals plus 30 s).",
    labelNames: ["schedule"] as const,
    registers: [registry],
    async collect() {
      const states = await readScheduleStates();
      this.reset();
      for (const s of states ?? []) this.set({ schedule: s.name }, staleAfterMs(s.everyMs) / 1000);
    },
  });
  new Gauge({
    name: "isthmus_schedule_stale",
    help: "1 when a scheduled job has not completed within its interval (with margin) or never ran, else 0.",
    labelNames: ["schedule"] as const,
    registers: [registry],
    async collect() {
      const states = await readScheduleStates();
      this.reset();
      for (const s of states ?? []) this.set({ schedule: s.name }, s.status === "ok" ? 0 : 1);
    },
  });
  return { registry, httpRequests, httpDuration, extensions: new Set<string>() };
}

const globalForMetrics = globalThis as unknown as { isthmusMetrics?: ReturnType<typeof create> };
export function metrics() {
  globalForMetrics.isthmusMetrics ??= create();
  return globalForMetrics.isthmusMetrics;
}

/**
 * Adds a domain's collectors to this process's registry, once. The edge that serves
 * /api/metrics calls it, so platform/ stays below the domains it reports on.
 */
export function extendMetrics(name: string, register: (registry: Registry) => void) {
  const m = metrics();
  if (m.extensions.has(name)) return;
  m.extensions.add(name);
  register(m.registry);
}

/** Prometheus text exposition of this process's metrics. */
export async function renderMetrics() {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

export function observeRequest(method: string, route: string, status: number, seconds: number) {
  const labels = { method, route, status: String(status) };
  const m = metrics();
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, seconds);
}

// Accept a caller's request id (a proxy's) only if it is short and plain: it goes into logs.
const REQUEST_ID = /^[\w.:-]{1,100}$/;
export function requestIdOf(req: Request) {
  const given = req.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

// Probes and scrapes arrive every few seconds; logging each would drown the rest.
const QUIET_ROUTES = new Set(["/api/health", "/api/metrics"]);

/**
 * Wrap a Next.js route handler: counts and times it under its route *template*
 * (`/api/v1/[...path]`, never the concrete URL, so label cardinality stays bounded),
 * tags the response with `x-request-id` and writes one structured log line.
 */
export function instrumented<C>(route: string, handler: (req: Request, ctx: C) => Response | Promise<Response>) {
  return async (req: Request, ctx: C): Promise<Response> => {
    const requestId = requestIdOf(req);
    const started = performance.now();
    let status = 500;
    try {
      const res = await handler(req, ctx);
      status = res.status;
      try {
        res.headers.set("x-request-id", requestId);
      } catch {
        // Some responses (redirects, proxied fetches) have immutable headers.
      }
      return res;
    } catch (err) {
      logger.error({ requestId, route, err: (err as Error).message }, "request failed");
      throw err;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      observeRequest(req.method, route, status, seconds);
      const line = { requestId, method: req.method, route, status, ms: Math.round(seconds * 1000) };
      if (QUIET_ROUTES.has(route) && status < 500) logger.debug(line, "request");
      else logger.info(line, "request");
    }
  };
}
