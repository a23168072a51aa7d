// Benchmark: the gateway history queries through the real REST API (issue 18 §Numbers):
// with 30 days of 1-minute rollups (and their 1-hour rollups) for 2,000 links, the 24 h
// chart of one link (GET /api/v1/gateways/{id}/series) and the overview of 500 sites
// (GET /api/v1/sites, GET /api/v1/gateways) each answer in ≤ 100 ms p95.
//   npm run bench:gateway-queries -- [--sites 500] [--links 2000] [--days 30] [--ends 1|2] [--requests 200]
// --days: days of 1-minute rollups (the 1-hour rollups always cover 30 days).
// Everything runs in a throwaway database (created, migrated, dropped at the end). The
// rollups are generated in PostgreSQL (generate_series, one INSERT per day partition),
// the sites, slices and links through plain inserts, the API token through the service
// that mints them. The API is the very handler /api/v1 runs (server/trpc/rest-handler.ts)
// behind a node:http server, called over HTTP with the token, one request at a time.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { Histogram } from "./lib/histogram";
import { createThrowawayDatabase, type ThrowawayDb } from "./lib/setup";

const { values } = parseArgs({
  options: {
    sites: { type: "string", default: "500" },
    links: { type: "string", default: "2000" },
    days: { type: "string", default: "30" },
    ends: { type: "string", default: "1" },
    requests: { type: "string", default: "200" },
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
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" / ");
const f1 = (x: number) => x.toFixed(1);

let db: ThrowawayDb | null = null;
let exitCode = 0;
try {
  const loadAtStart = load();
  const pgServer = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  db = await createThrowawayDatabase(pgServer);
  process.env.DATABASE_URL = db.url;
  process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
  process.env.LOG_LEVEL = "silent";
  process.env.NEXTAUTH_SECRET ??= "bench-gateway-queries-secret-0123456789";
  const { migrateDeploy } = await import("../server/db/migrate");
  await migrateDeploy(db.url);
  log(`gateway query benchmark: ${SITES} sites, ${LINKS} links, ${DAYS} days of 1-minute rollups (${ENDS} end${ENDS === 1 ? "" : "s"} per link); database ${db.name}; load average ${loadAtStart}`);

  const { db: prisma } = await import("../server/db/client");
  const { createUser } = await import("../server/users/create-user");
  const { createTenant } = await import("../server/tenants/create-tenant");
  const { createApiToken } = await import("../server/api-tokens/api-tokens");
  const { ensurePartition } = await import("../server/gateways/partitions");
  const { HIST_BUCKETS } = await import("../server/gateways/rollup-math");

  // ---- the fleet: a tenant, its sites, slices of 100 links, every link UP or DEGRADED --
  const t0 = performance.now();
  const user = await createUser({ email: `bench-gwq-${Date.now()}@example.test`, password: "bench-password-123" });
  const tenant = await createTenant({ type: "SYSTEM", label: "bench" }, user.id, { slug: `bench-gwq-${Date.now().toString(36)}`, name: "Gateway query benchmark" });
  const ctx = { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER" as const, actor: { type: "USER" as const, id: user.id, label: user.email } };
  const { token } = await createApiToken(ctx, { name: "bench", role: "VIEWER", expiresInDays: 1 });
  const siteTypes = ["EDGE", "CLOUD", "ONPREM"] as const;
  await prisma().cluster.createMany({
    data: Array.from({ length: SITES }, (_, i) => ({
      tenantId: tenant.id,
      name: `site-${String(i).padStart(4, "0")}`,
      uid: `bench-uid-${i}`,
      siteType: siteTypes[i % 3]!,
      region: `region-${i % 12}`,
      latitude: ((i * 37) % 140) - 60,
      longitude: ((i * 91) % 340) - 170,
      availability: "AVAILABLE" as const,
      podCidrs: [`100.${64 + (i >> 8)}.${i & 255}.0/24`],
      serviceCidrs: [`100.${96 + (i >> 8)}.${i & 255}.0/24`],
      gatewayEndpoints: [`198.51.100.${1 + (i % 250)}:51820`],
      behindNat: false,
      kubernetesVersion: "v1.31.2",
      cni: "cilium",
      nodeCount: 3,
      lastSeenAt: new Date(),
      components: [{ name: "agent", status: "OK" }, { name: "gateway", status: i % 17 === 0 ? "DEGRADED" : "OK" }],
    })),
  });
  const clusterIds = (await prisma().cluster.findMany({ where: { tenantId: tenant.id }, select: { id: true }, orderBy: { name: "asc" } })).map((c) => c.id);
  const sliceIds: string[] = [];
  for (let s = 0; s < Math.ceil(LINKS / 100); s++) {
    const slice = await prisma().slice.create({
      data: { tenantId: tenant.id, name: `slice-${s}`, subnet: `10.${100 + (s % 100)}.0.0/16`, maxClusters: 64, gatewayType: "WIREGUARD", gatewayService: {}, topology: { kind: "FULL_MESH" }, namespaceIsolation: { enabled: false } },
    });
    sliceIds.push(slice.id);
  }
  const links = Array.from({ length: LINKS }, (_, i) => {
    const a = i % SITES;
    const b = (a + 1 + Math.floor(i / SITES) * 7 + (i % 5)) % SITES;
    return { id: `lnk-${String(i).padStart(5, "0")}`, tenantId: tenant.id, sliceId: sliceIds[Math.floor(i / 100)]!, serverClusterId: clusterIds[a]!, clientClusterId: clusterIds[b === a ? (a + 1) % SITES : b]!, tunnelIndex: i % 100, serverTunnelIp: `10.250.${i >> 8}.${i & 255}`, clientTunnelIp: `10.251.${i >> 8}.${i & 255}` };
  });
  await prisma().gatewayLink.createMany({ data: links });
  const now = new Date();
  await prisma().gatewayLinkState.createMany({
    data: links.map((l, i) => ({ linkId: l.id, tenantId: tenant.id, sliceId: l.sliceId, status: i % 13 === 0 ? ("DEGRADED" as const) : ("UP" as const), rawStatus: i % 13 === 0 ? ("DEGRADED" as const) : ("UP" as const), reason: i % 13 === 0 ? "loss 4 % ≥ 2 %" : null, since: new Date(now.getTime() - DAY), changes: [], rttMs: 20 + (i % 80), lossPct: i % 13 === 0 ? 4 : 0.1, updatedAt: now })),
  });
  log(`tenant, ${SITES} sites, ${sliceIds.length} slices, ${LINKS} links in ${f1((performance.now() - t0) / 1000)} s`);

  // ---- the rollups: one INSERT per day partition, generated in PostgreSQL ------------
  const t1 = performance.now();
  const endCol = ENDS === 2 ? `unnest(ARRAY[l."serverClusterId", l."clientClusterId"])` : `l."serverClusterId"`;
  const hist = `ARRAY[${Array.from({ length: HIST_BUCKETS }, (_, k) => (k === 3 ? 3 : k === 4 ? 1 : 0)).join(",")}]::integer[]`;
  const today = Math.floor(now.getTime() / DAY) * DAY;
  let rows = 0;
  for (let d = DAYS; d >= 0; d--) {
    const dayStart = new Date(today - d * DAY);
    const dayEnd = new Date(Math.min(dayStart.getTime() + DAY, Math.floor(now.getTime() / 60_000) * 60_000));
    if (dayEnd <= dayStart) continue;
    await ensurePartition("GatewayRollup1m", dayStart);
    const n = await prisma().$executeRawUnsafe(
      `INSERT INTO "GatewayRollup1m" ("tenantId", "linkId", "clusterId", "bucket", "samples", "rttAvg", "rttMin", "rttMax", "rttP95", "rttCount",
         "lossAvg", "lossMax", "lossCount", "rxAvg", "txAvg", "secondsUp", "secondsDegraded", "secondsDown", "secondsUnknown", "rttHist")
       SELECT l."tenantId", l."id", ${endCol}, m, 4, 20 + (hashtext(l."id") & 63), 15, 40, 35, 4, 0.1, 0.5, 4, 2.5e6, 1.5e6, 60, 0, 0, 0, ${hist}
       FROM "GatewayLink" l CROSS JOIN generate_series($1::timestamptz, $2::timestamptz - interval '1 minute', interval '1 minute') AS m
       WHERE l."tenantId" = $3`,
      dayStart,
      dayEnd,
      tenant.id,
    );
    rows += n;
    log(`  ${dayStart.toISOString().slice(0, 10)}: ${n.toLocaleString("en-US")} 1-minute rows (${rows.toLocaleString("en-US")} so far, ${f1((performance.now() - t1) / 1000)} s)`);
  }
  // 30 days of hour rollups whatever --days says (the hourly job's output; 60x fewer rows).
  const hourFrom = new Date(today - 30 * DAY);
  for (let m = new Date(Date.UTC(hourFrom.getUTCFullYear(), hourFrom.getUTCMonth(), 1)); m <= now; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) await ensurePartition("GatewayRollup1h", m);
  const hourRows = await prisma().$executeRawUnsafe(
    `INSERT INTO "GatewayRollup1h" ("tenantId", "linkId", "clusterId", "bucket", "samples", "rttAvg", "rttMin", "rttMax", "rttP95", "rttCount",
       "lossAvg", "lossMax", "lossCount", "rxAvg", "txAvg", "secondsUp", "secondsDegraded", "secondsDown", "secondsUnknown", "rttHist")
     SELECT l."tenantId", l."id", ${endCol}, h, 240, 20 + (hashtext(l."id") & 63), 15, 40, 35, 240, 0.1, 0.5, 240, 2.5e6, 1.5e6, 3600, 0, 0, 0, ${hist}
     FROM "GatewayLink" l CROSS JOIN generate_series($1::timestamptz, date_trunc('hour', $2::timestamptz) - interval '1 hour', interval '1 hour') AS h
     WHERE l."tenantId" = $3`,
    hourFrom,
    now,
    tenant.id,
  );
  await prisma().$executeRawUnsafe(`ANALYZE`);
  const [size] = await prisma().$queryRawUnsafe<Array<{ m: string; h: string }>>(
    `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS m, (SELECT pg_size_pretty(sum(pg_total_relation_size(c2.oid))) FROM pg_inherits i2 JOIN pg_class c2 ON c2.oid = i2.inhrelid WHERE i2.inhparent = '"GatewayRollup1h"'::regclass) AS h
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"GatewayRollup1m"'::regclass`,
  );
  const genMs = performance.now() - t1;
  log(`rollups: ${rows.toLocaleString("en-US")} 1-minute rows (${size?.m}) and ${hourRows.toLocaleString("en-US")} 1-hour rows (${size?.h}) in ${f1(genMs / 1000)} s; ANALYZEd`);

  // ---- the REST API behind a real HTTP server ----------------------------------------
  const { handleRest } = await import("../server/trpc/rest-handler");
  const { createRequestContext } = await import("../server/trpc/context");
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const request = new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers: req.headers as Record<string, string> });
    void handleRest(request, { createContext: (r) => createRequestContext({ headers: r.headers, getSessionUser: async () => null }) }).then(async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    });
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
    console.log(`  ${label.padEnd(58)} p50 ${f1(h.quantile(0.5))} ms · p95 ${f1(p95)} ms · max ${f1(h.max)} ms  (${REQUESTS} requests)  ${p95 <= 100 ? "MET" : "NOT MET"} (≤ 100 ms p95)${bad ? `  WRONG ANSWER: ${bad}` : ""}`);
    return p95;
  }

  const to = () => new Date().toISOString();
  const from24h = () => new Date(Date.now() - DAY).toISOString();
  let k = 0;
  const nextLink = () => links[(k = (k * 7919 + 13) % LINKS)]!.id;
  console.log("");
  console.log(`== Gateway queries through the REST API — ${new Date().toISOString()} ==`);
  console.log(`  data              ${SITES} sites, ${LINKS} links; ${rows.toLocaleString("en-US")} 1-minute rollup rows over ${DAYS} days (${size?.m}), ${hourRows.toLocaleString("en-US")} 1-hour rows (${size?.h}); generated in ${f1(genMs / 1000)} s`);
  console.log(`  machine           ${os.cpus().length} cores; load average at start ${loadAtStart}, now ${load()}`);
  const minPoints = Math.min(720, DAYS * 720);
  await measure("24 h chart of one link  GET /gateways/{id}/series", () => `${base}/gateways/${nextLink()}/series?from=${from24h()}&to=${to()}`, (b) => {
    const s = b as { table: string; points: unknown[] };
    return s.table === "GatewayRollup1m" && s.points.length >= Math.floor(minPoints * 0.9) * ENDS ? null : `table ${s.table}, ${s.points.length} points`;
  });
  await measure("30 d chart of one link  GET /gateways/{id}/series", () => `${base}/gateways/${nextLink()}/series?from=${new Date(Date.now() - 30 * DAY).toISOString()}&to=${to()}`, (b) => {
    const s = b as { table: string; points: unknown[] };
    return s.table === "GatewayRollup1h" && s.points.length > 0 ? null : `table ${s.table}, ${s.points.length} points`;
  });
  await measure(`overview: ${SITES} sites with scores  GET /sites?limit=${SITES}`, () => `${base}/sites?limit=${SITES}`, (b) => ((b as { items: unknown[] }).items.length === SITES ? null : `${(b as { items: unknown[] }).items.length} sites`));
  await measure("overview: 200 links  GET /gateways?limit=200", () => `${base}/gateways?limit=200`, (b) => ((b as { items: unknown[] }).items.length === Math.min(200, LINKS) ? null : `${(b as { items: unknown[] }).items.length} links`));
  console.log(`  load average      at end ${load()}`);
  server.close();
  const { closeDb } = await import("../server/db/client");
  const { closeRedis } = await import("../server/redis");
  await Promise.allSettled([closeDb(), closeRedis()]);
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await db?.drop().catch((err: Error) => console.error(`could not drop the throwaway database: ${err.message}`));
}
process.exit(exitCode);
