// Benchmark: the gateway history queries through the real REST API (issue 18 §Numbers):
// with 30 days of 1-minute rollups (and their 1-hour rollups) for 2,000 links, the 24 h
// chart of one link (GET /api/v1/gateways/{id}/series) and the overview of 500 sites
// (GET /api/v1/sites, GET /api/v1/gateways) each answer in ≤ 100 ms p95.
//   npm run bench:gateway-queries -- [--sites 500] [--links 2000] [--days 30] [--ends 1|2] [--requests 200] [--keep | --reuse <database>] [--plans]
// --days: days of 1-minute rollups (the 1-hour rollups always cover 30 days).
// --keep: leave the generated database in place (its name is printed); --reuse <database>:
// measure a database an earlier --keep run generated, without generating again (the
// minute rows then end when that run ended; the ranges end there too). --plans: print
// each statement's EXPLAIN (ANALYZE, BUFFERS) plan, not just its times.
// Everything runs in a throwaway database (created, migrated, dropped at the end). The
// rollups are generated in PostgreSQL (generate_series, one INSERT per day partition),
// the sites, slices and links through plain inserts, the API token through the service
// that mints them. The API is the very handler /api/v1 runs (server/trpc/rest-handler.ts)
// behind a node:http server, called over HTTP with the token, one request at a time.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { Histogram } from "./lib/histogram";
import { captureStatements, explainStatements } from "./lib/explain";
import { generateGatewayData, loadGatewayData } from "./lib/gateway-data";
import { createThrowawayDatabase, type ThrowawayDb } from "./lib/setup";

const { values } = parseArgs({
  options: {
    sites: { type: "string", default: "500" },
    links: { type: "string", default: "2000" },
    days: { type: "string", default: "30" },
    ends: { type: "string", default: "1" },
    requests: { type: "string", default: "200" },
    keep: { type: "boolean", default: false },
    reuse: { type: "string" },
    plans: { type: "boolean", default: false },
  },
});
const int = (name: string, v: string | undefined, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min} to ${max} (got ${v})`);
    process.exit(64);
  }
  return n;
};
const SITES = int("sites", values.sites, 2, 5000);
const LINKS = int("links", values.links, 1, 20_000);
const DAYS = int("days", values.days, 1, 30);
const ENDS = int("ends", values.ends, 1, 2);
const REQUESTS = int("requests", values.requests, 10, 10_000);
const DAY = 86_400_000;
const log = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(" / ");
const f1 = (x: number) => x.toFixed(1);

let db: ThrowawayDb | null = null;
let exitCode = 0;
try {
  const loadAtStart = load();
  const pgServer = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let dbName: string;
  if (values.reuse) {
    if (!/^isthmus_bench_[0-9a-f]{8}$/.test(values.reuse)) {
      console.error(`--reuse must name a database an earlier --keep run printed (isthmus_bench_xxxxxxxx), got ${values.reuse}`);
      process.exit(64);
    }
    const url = new URL(pgServer);
    url.pathname = `/${values.reuse}`;
    process.env.DATABASE_URL = url.toString();
    dbName = values.reuse;
  } else {
    db = await createThrowawayDatabase(pgServer);
    process.env.DATABASE_URL = db.url;
    dbName = db.name;
  }
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.LOG_LEVEL = "silent";
  process.env.NEXTAUTH_SECRET ??= "bench-gateway-queries-secret-0123456789";
  const { migrateDeploy } = await import("../server/platform/db/migrate");
  // On a kept database too: it gets the migrations written since it was generated.
  await migrateDeploy(process.env.DATABASE_URL);
  log(
    `gateway query benchmark: ${values.reuse ? "kept data" : `${SITES} sites, ${LINKS} links, ${DAYS} days of 1-minute rollups (${ENDS} end${ENDS === 1 ? "" : "s"} per link)`}; database ${dbName}; load average ${loadAtStart}`,
  );

  const { db: prisma } = await import("../server/platform/db/client");
  const data = values.reuse ? await loadGatewayData() : await generateGatewayData({ SITES, LINKS, DAYS, ENDS, log });
  // As the hourly upkeep job leaves them: closed days rewritten in key order (today not).
  const { clusterClosedPartitions } = await import("../server/gateways/partitions");
  const tc = performance.now();
  const reordered = await clusterClosedPartitions(new Date(), 31);
  if (reordered.length) {
    await prisma().$executeRawUnsafe(`ANALYZE "GatewayRollup1m"`);
    log(`closed days rewritten in key order (CLUSTER): ${reordered.join(", ")} in ${f1((performance.now() - tc) / 1000)} s`);
  }
  const { token, rows, hourRows, size, genMs } = data;
  const links = data.linkIds.map((id) => ({ id }));

  // ---- the REST API behind a real HTTP server ----------------------------------------
  const { handleRest } = await import("../server/trpc/rest-handler");
  const { createRequestContext } = await import("../server/trpc/context");
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string> });
    void handleRest(request, { createContext: (r) => createRequestContext({ headers: r.headers, getSessionUser: async () => null }) }).then(
      async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      },
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/api/v1`;
  const headers = { authorization: `Bearer ${token}` };

  async function measure(label: string, url: () => string, check: (body: unknown) => string | null) {
    const h = new Histogram();
    // Warm-up: connection pools, prepared plans, the JIT.
    for (let i = 0; i < 10; i++) await fetch(url(), { headers }).then((r) => r.arrayBuffer());
    let bad: string | null = null;
    for (let i = 0; i < REQUESTS; i++) {
      const t = performance.now();
      const r = await fetch(url(), { headers });
      const body = (await r.json()) as unknown;
      h.record(performance.now() - t);
      if (r.status !== 200) bad ??= `HTTP ${r.status}: ${JSON.stringify(body).slice(0, 300)}`;
      else bad ??= check(body);
    }
    const p95 = h.quantile(0.95);
    console.log(
      `  ${label.padEnd(58)} p50 ${f1(h.quantile(0.5))} ms · p95 ${f1(p95)} ms · max ${f1(h.max)} ms  (${REQUESTS} requests)  ${p95 <= 100 ? "MET" : "NOT MET"} (≤ 100 ms p95)${bad ? `  WRONG ANSWER: ${bad}` : ""}`,
    );
    // One more call with its statements captured, and each SELECT explained.
    const ex = await explainStatements(process.env.DATABASE_URL!, await captureStatements(() => fetch(url(), { headers }).then((r) => r.arrayBuffer())));
    const total = ex.selects.reduce((a, x) => a + x.executionMs + x.planningMs, 0);
    console.log(
      `  ${"".padEnd(58)} server side: ${ex.statements} statements, ${ex.selects.length} SELECTs; planning + execution ${f1(total)} ms in all (EXPLAIN ANALYZE)`,
    );
    for (const x of ex.selects) {
      console.log(`      ${f1(x.planningMs).padStart(6)} + ${f1(x.executionMs).padStart(6)} ms  ${x.sql}`);
      if (values.plans) console.log(x.plan.replace(/^/gm, "          "));
    }
    return p95;
  }

  // One clock reading per range (a client reading it twice asks for 24 h and a few ms);
  // the range ends at the data's end, so a kept database is measured over full data.
  const DATA_SITES = data.sites;
  const DATA_LINKS = links.length;
  const end = () => Math.min(Date.now(), data.dataEnd.getTime());
  const range = (ms: number) => {
    const to = end();
    return `from=${new Date(to - ms).toISOString()}&to=${new Date(to).toISOString()}`;
  };
  let k = 0;
  const nextLink = () => links[(k = (k * 7919 + 13) % DATA_LINKS)]!.id;
  console.log("");
  console.log(`== Gateway queries through the REST API — ${new Date().toISOString()} ==`);
  console.log(
    `  data              ${DATA_SITES} sites, ${DATA_LINKS} links; ${rows.toLocaleString("en-US")} 1-minute rollup rows (${size?.m}), ${hourRows.toLocaleString("en-US")} 1-hour rows (${size?.h})${genMs ? `; generated in ${f1(genMs / 1000)} s` : ""}`,
  );
  console.log(`  machine           ${os.cpus().length} cores; load average at start ${loadAtStart}, now ${load()}`);
  // 24 h at the default step: 2-minute points, each end's 720 (or 721: the range rarely
  // starts on an even minute), unless the minute rows begin later than the range.
  await measure(
    "24 h chart of one link  GET /gateways/{id}/series",
    () => `${base}/gateways/${nextLink()}/series?${range(DAY)}`,
    (b) => {
      const s = b as { table: string; stepSeconds: number; points: Array<{ clusterId: string }> };
      const perEnd = s.points.length / Math.max(1, new Set(s.points.map((p) => p.clusterId)).size);
      return s.table === "GatewayRollup1m" && s.stepSeconds === 120 && perEnd >= 719
        ? null
        : `table ${s.table}, step ${s.stepSeconds} s, ${s.points.length} points`;
    },
  );
  await measure(
    "30 d chart of one link  GET /gateways/{id}/series",
    () => `${base}/gateways/${nextLink()}/series?${range(30 * DAY)}`,
    (b) => {
      const s = b as { table: string; points: unknown[] };
      return s.table === "GatewayRollup1h" && s.points.length > 0 ? null : `table ${s.table}, ${s.points.length} points`;
    },
  );
  await measure(
    `overview: ${DATA_SITES} sites with scores  GET /sites?limit=${DATA_SITES}`,
    () => `${base}/sites?limit=${DATA_SITES}`,
    (b) => ((b as { items: unknown[] }).items.length === DATA_SITES ? null : `${(b as { items: unknown[] }).items.length} sites`),
  );
  await measure(
    "overview: 200 links  GET /gateways?limit=200",
    () => `${base}/gateways?limit=200`,
    (b) => ((b as { items: unknown[] }).items.length === Math.min(200, DATA_LINKS) ? null : `${(b as { items: unknown[] }).items.length} links`),
  );
  console.log(`  load average      at end ${load()}`);
  server.close();
  const { closeDb } = await import("../server/platform/db/client");
  const { closeRedis } = await import("../server/platform/redis");
  await Promise.allSettled([closeDb(), closeRedis()]);
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  if (values.keep && db) console.log(`kept the database ${db.name}: measure it again with --reuse ${db.name}; drop it with DROP DATABASE "${db.name}"`);
  else await db?.drop().catch((err: Error) => console.error(`could not drop the throwaway database: ${err.message}`));
}
process.exit(exitCode);
