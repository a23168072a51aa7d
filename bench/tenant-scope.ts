// Benchmark: what row-level security costs the console's queries.
//   npx tsx bench/tenant-scope.ts [--clusters 5000] [--runs 400]
// One tenant with N clusters (and a second one, for switching). Each console query is
// timed three ways against the PostgreSQL named by DATABASE_URL (a throwaway database
// is created and dropped): unscoped (as before row-level security), scoped to one
// tenant (the policies apply; the pooled connections keep their role), and scoped to
// two tenants in turn (every checkout switches role and tenant: the worst case).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createThrowawayDatabase } from "./lib/setup";

const { values } = parseArgs({ options: { clusters: { type: "string", default: "5000" }, runs: { type: "string", default: "400" } } });
const N = Number(values.clusters);
const RUNS = Number(values.runs);

const throwaway = await createThrowawayDatabase(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
process.env.DATABASE_URL = throwaway.url;
process.env.LOG_LEVEL = "silent";

const { migrateDeploy } = await import("../server/platform/db/migrate");
await migrateDeploy(process.env.DATABASE_URL);
const { db, closeDb } = await import("../server/platform/db/client");
const { closeRedis } = await import("../server/platform/redis");
const { withTenantScope } = await import("../server/platform/db/tenant-scope");
const { listClusters } = await import("../server/clusters/list-clusters");
const { getFleetOverview } = await import("../server/overview/get-fleet-overview");

const tenants = await Promise.all(
  ["a", "b"].map((s) => db().tenant.create({ data: { slug: `bench-${s}-${randomBytes(3).toString("hex")}`, name: s }, select: { id: true, slug: true } })),
);
for (const t of tenants) {
  const rows = Array.from({ length: N }, (_, i) => ({
    tenantId: t.id,
    name: `c${String(i).padStart(5, "0")}`,
    uid: `uid-${i}`,
    siteType: (["EDGE", "CLOUD", "ONPREM"] as const)[i % 3],
    availability: i % 17 ? ("AVAILABLE" as const) : ("UNKNOWN" as const),
    labels: { env: i % 2 ? "prod" : "dev" },
  }));
  for (let i = 0; i < rows.length; i += 1000) await db().cluster.createMany({ data: rows.slice(i, i + 1000) });
}
await db().$executeRawUnsafe("ANALYZE");
const ctxOf = (t: { id: string; slug: string }) => ({
  tenantId: t.id,
  tenantSlug: t.slug,
  role: "VIEWER" as const,
  actor: { type: "SYSTEM" as const, label: "bench" },
});

const queries: Record<string, (c: ReturnType<typeof ctxOf>) => Promise<unknown>> = {
  "clusters.list (first page of 50)": (c) => listClusters(c, { limit: 50 }),
  "clusters.list (search + label filter)": (c) => listClusters(c, { limit: 50, search: "c01", labels: "env=prod" }),
  overview: (c) => getFleetOverview(c),
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
async function time(run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 20; i++) await run(i); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    await run(i);
    xs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return `p50 ${pct(xs, 50).toFixed(2)} ms, p95 ${pct(xs, 95).toFixed(2)} ms`;
}

console.log(`${N} clusters per tenant, ${RUNS} runs each, sequential`);
for (const [name, q] of Object.entries(queries)) {
  console.log(name);
  console.log(`  unscoped           ${await time(() => q(ctxOf(tenants[0]!)))}`);
  console.log(`  scoped, one tenant ${await time(() => withTenantScope(tenants[0]!.id, () => q(ctxOf(tenants[0]!))))}`);
  console.log(
    `  scoped, switching  ${await time((i) => {
      const t = tenants[i % 2]!;
      return withTenantScope(t.id, () => q(ctxOf(t)));
    })}`,
  );
}

await closeDb();
await closeRedis();
await throwaway.drop();
