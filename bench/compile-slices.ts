// Benchmark: compiling a full-mesh slice of N clusters (default 200).
//   npm run bench:compile -- [--clusters 200] [--runs 5]
// Measures (1) the pure plan — share allocation, link derivation (N·(N-1)/2 links),
// tunnel addressing — and every member's isolation manifests; (2) each member's bundle
// compiled from the database, which is what a delivery does per cluster; (3) the whole
// save: plan, write shares and links, and publish a revision to every member, against
// the PostgreSQL and Redis named by DATABASE_URL / REDIS_URL (a throwaway database is
// created and dropped).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";

const { values } = parseArgs({ options: { clusters: { type: "string", default: "200" }, runs: { type: "string", default: "5" } } });
const N = Number(values.clusters);
const RUNS = Number(values.runs);

const serverUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = `isthmus_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`CREATE DATABASE "${dbName}"`);
const url = new URL(serverUrl);
url.pathname = `/${dbName}`;
process.env.DATABASE_URL = url.toString();
process.env.LOG_LEVEL = "silent";

const { migrateDeploy } = await import("../server/platform/db/migrate");
await migrateDeploy(process.env.DATABASE_URL);
const { db, closeDb } = await import("../server/platform/db/client");
const { closeRedis } = await import("../server/platform/redis");
const { allocate, linkIndex, planLayout, tunnelAddresses } = await import("../server/slices/ipam/allocate");
const { deriveLinks } = await import("../server/slices/topology");
const { compileIsolationManifests } = await import("../server/bundles/manifests");
const { compileClusterBundle } = await import("../server/bundles/compile-bundle");
const { saveSlice } = await import("../server/slices/save-slice");
const { createTenant } = await import("../server/tenants/create-tenant");
const { createUser } = await import("../server/users/create-user");

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)]!.toFixed(1)} ms, min ${s[0]!.toFixed(1)} ms, max ${s[s.length - 1]!.toFixed(1)} ms`;
};

const user = await createUser({ email: `bench-${randomBytes(3).toString("hex")}@example.test`, password: "bench-password-123" });
const tenant = await createTenant({ type: "SYSTEM", label: "bench" }, user.id, { slug: `bench-${randomBytes(3).toString("hex")}`, name: "Bench" });
const members = Array.from({ length: N }, (_, i) => ({
  tenantId: tenant.id,
  name: `c${String(i).padStart(4, "0")}`,
  uid: `uid-${i}`,
  availability: "AVAILABLE" as const,
  podCidrs: [`100.${64 + (i >> 8)}.${i & 255}.0/24`],
  serviceCidrs: [`100.${96 + (i >> 8)}.${i & 255}.0/24`],
  gatewayEndpoints: [`gw-${i}.example.net:51820`],
}));
await db().cluster.createMany({ data: members });
const clusters = await db().cluster.findMany({
  where: { tenantId: tenant.id },
  select: { id: true, name: true, behindNat: true, gatewayEndpoints: true },
  orderBy: { name: "asc" },
});
const isolation = {
  enabled: true,
  applicationNamespaces: [{ namespace: "app", clusters: ["*"] }],
  allowedNamespaces: [{ namespace: "monitoring", clusters: ["*"] }],
};
const spec = { name: "mesh", subnet: "10.0.0.0/8", maxClusters: 64 };

// (1) pure plan. maxClusters is capped at 64 per slice, so N > 64 uses a larger cap in the
// pure part only (the modules take any count); the DB part below uses min(N, 64).
const pure: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = process.hrtime.bigint();
  const shares = allocate(
    [],
    clusters.map((c) => c.id),
    { subnet: "10.0.0.0/8", maxClusters: N },
  );
  const layout = planLayout("10.0.0.0/8", N);
  const topo = deriveLinks({ sliceId: "slc_bench", topology: { kind: "FULL_MESH" }, members: clusters });
  for (const l of topo.links) tunnelAddresses(layout, linkIndex(shares.get(l.serverClusterId)!.index, shares.get(l.clientClusterId)!.index));
  for (const c of clusters) compileIsolationManifests({ name: "mesh", subnet: "10.0.0.0/8", namespaceIsolation: isolation }, c.name);
  pure.push(ms(t0));
  if (r === 0) console.log(`pure plan: ${N} clusters, ${topo.links.length} links`);
}
console.log(`  ${stats(pure)}`);

// (3) whole save through the service, then (2) per-member bundle compile from the DB.
const M = Math.min(N, 64);
const ctx = { tenantId: tenant.id, tenantSlug: "bench", role: "OWNER" as const, actor: { type: "SYSTEM" as const, label: "bench" } };
let t0 = process.hrtime.bigint();
const saved = await saveSlice(ctx, { spec: { ...spec, members: clusters.slice(0, M).map((c) => c.name), namespaceIsolation: isolation } });
const saveMs = ms(t0);
console.log(`save + deliver: ${M} clusters, ${(M * (M - 1)) / 2} links, ${Object.keys(saved.revisions).length} revisions published: ${saveMs.toFixed(0)} ms`);
t0 = process.hrtime.bigint();
const again = await saveSlice(ctx, { id: saved.id, spec: { ...spec, members: clusters.slice(0, M).map((c) => c.name), namespaceIsolation: isolation } });
console.log(
  `unchanged re-save (plan + compare, no new revisions: ${Object.values(again.revisions).every((r, i) => r === Object.values(saved.revisions)[i])}): ${ms(t0).toFixed(0)} ms`,
);
const per: number[] = [];
for (const c of clusters.slice(0, M)) {
  t0 = process.hrtime.bigint();
  await compileClusterBundle(db(), tenant.id, c.id);
  per.push(ms(t0));
}
console.log(`bundle compile per member (${M - 1} peers each): ${stats(per)}`);

await closeDb();
await closeRedis();
await admin.query(`DROP DATABASE "${dbName}" WITH (FORCE)`);
await admin.end();
