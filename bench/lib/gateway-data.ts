// Data of the gateway query benchmark (bench/gateway-queries.ts): a tenant, its sites,
// slices of 100 links with their evaluated state, days of 1-minute rollups and 30 days
// of 1-hour rollups, generated in PostgreSQL; or the same read back from a database an
// earlier run kept (--keep), so the queries can be measured and explained again
// without generating for minutes.
const DAY = 86_400_000;
const f1 = (x: number) => x.toFixed(1);

export interface GatewayBenchData {
  tenantId: string;
  token: string;
  linkIds: string[];
  sites: number;
  rows: number;
  hourRows: number;
  size: { m: string; h: string } | undefined;
  genMs: number;
  /** The end of the minute rows (exclusive): when the data was generated. */
  dataEnd: Date;
}

export async function generateGatewayData(o: {
  SITES: number;
  LINKS: number;
  DAYS: number;
  ENDS: number;
  log: (m: string) => void;
}): Promise<GatewayBenchData> {
  const { SITES, LINKS, DAYS, ENDS, log } = o;
  const { db: prisma } = await import("../../server/platform/db/client");
  const { createUser } = await import("../../server/users/create-user");
  const { createTenant } = await import("../../server/tenants/create-tenant");
  const { createApiToken } = await import("../../server/api-tokens/api-tokens");
  const { ensurePartition } = await import("../../server/gateways/partitions");
  const { HIST_BUCKETS } = await import("../../server/gateways/rollup-math");

  // ---- the fleet: a tenant, its sites, slices of 100 links, every link UP or DEGRADED --
  const t0 = performance.now();
  const user = await createUser({ email: `bench-gwq-${Date.now()}@example.test`, password: "bench-password-123" });
  const tenant = await createTenant({ type: "SYSTEM", label: "bench" }, user.id, {
    slug: `bench-gwq-${Date.now().toString(36)}`,
    name: "Gateway query benchmark",
  });
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
      components: [
        { name: "agent", status: "OK" },
        { name: "gateway", status: i % 17 === 0 ? "DEGRADED" : "OK" },
      ],
    })),
  });
  const clusterIds = (await prisma().cluster.findMany({ where: { tenantId: tenant.id }, select: { id: true }, orderBy: { name: "asc" } })).map((c) => c.id);
  const sliceIds: string[] = [];
  for (let s = 0; s < Math.ceil(LINKS / 100); s++) {
    const slice = await prisma().slice.create({
      data: {
        tenantId: tenant.id,
        name: `slice-${s}`,
        subnet: `10.${100 + (s % 100)}.0.0/16`,
        maxClusters: 64,
        gatewayType: "WIREGUARD",
        gatewayService: {},
        topology: { kind: "FULL_MESH" },
        namespaceIsolation: { enabled: false },
      },
    });
    sliceIds.push(slice.id);
  }
  const links = Array.from({ length: LINKS }, (_, i) => {
    const a = i % SITES;
    const b = (a + 1 + Math.floor(i / SITES) * 7 + (i % 5)) % SITES;
    return {
      id: `lnk-${String(i).padStart(5, "0")}`,
      tenantId: tenant.id,
      sliceId: sliceIds[Math.floor(i / 100)]!,
      serverClusterId: clusterIds[a]!,
      clientClusterId: clusterIds[b === a ? (a + 1) % SITES : b]!,
      tunnelIndex: i % 100,
      serverTunnelIp: `10.250.${i >> 8}.${i & 255}`,
      clientTunnelIp: `10.251.${i >> 8}.${i & 255}`,
    };
  });
  await prisma().gatewayLink.createMany({ data: links });
  const now = new Date();
  await prisma().gatewayLinkState.createMany({
    data: links.map((l, i) => ({
      linkId: l.id,
      tenantId: tenant.id,
      sliceId: l.sliceId,
      status: i % 13 === 0 ? ("DEGRADED" as const) : ("UP" as const),
      rawStatus: i % 13 === 0 ? ("DEGRADED" as const) : ("UP" as const),
      reason: i % 13 === 0 ? "loss 4 % ≥ 2 %" : null,
      since: new Date(now.getTime() - DAY),
      changes: [],
      rttMs: 20 + (i % 80),
      lossPct: i % 13 === 0 ? 4 : 0.1,
      updatedAt: now,
    })),
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
    log(
      `  ${dayStart.toISOString().slice(0, 10)}: ${n.toLocaleString("en-US")} 1-minute rows (${rows.toLocaleString("en-US")} so far, ${f1((performance.now() - t1) / 1000)} s)`,
    );
  }
  // 30 days of hour rollups whatever --days says (the hourly job's output; 60x fewer rows).
  const hourFrom = new Date(today - 30 * DAY);
  for (
    let m = new Date(Date.UTC(hourFrom.getUTCFullYear(), hourFrom.getUTCMonth(), 1));
    m <= now;
    m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))
  )
    await ensurePartition("GatewayRollup1h", m);
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
  log(
    `rollups: ${rows.toLocaleString("en-US")} 1-minute rows (${size?.m}) and ${hourRows.toLocaleString("en-US")} 1-hour rows (${size?.h}) in ${f1(genMs / 1000)} s; ANALYZEd`,
  );
  return {
    tenantId: tenant.id,
    token,
    linkIds: links.map((l) => l.id),
    sites: SITES,
    rows,
    hourRows,
    size,
    genMs,
    dataEnd: new Date(Math.floor(now.getTime() / 60_000) * 60_000),
  };
}

/** The data an earlier run kept: its tenant (the only one), a fresh VIEWER token, its links and sizes. */
export async function loadGatewayData(): Promise<GatewayBenchData> {
  const { db: prisma } = await import("../../server/platform/db/client");
  const { createApiToken } = await import("../../server/api-tokens/api-tokens");
  const m = await prisma().membership.findFirstOrThrow({
    where: { role: "OWNER", tenant: { slug: { startsWith: "bench-gwq-" } } },
    select: { tenantId: true, userId: true, tenant: { select: { slug: true } } },
  });
  const ctx = { tenantId: m.tenantId, tenantSlug: m.tenant.slug, role: "OWNER" as const, actor: { type: "USER" as const, id: m.userId, label: "bench" } };
  const { token } = await createApiToken(ctx, { name: `bench-${Date.now()}`, role: "VIEWER", expiresInDays: 1 });
  const linkIds = (await prisma().gatewayLink.findMany({ where: { tenantId: m.tenantId }, select: { id: true }, orderBy: { id: "asc" } })).map((l) => l.id);
  const sites = await prisma().cluster.count({ where: { tenantId: m.tenantId } });
  const [c] = await prisma().$queryRawUnsafe<Array<{ m: number; h: number; ms: string; hs: string; end: Date }>>(
    `SELECT (SELECT sum(c.reltuples)::float8 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"GatewayRollup1m"'::regclass) AS m,
            (SELECT sum(c.reltuples)::float8 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"GatewayRollup1h"'::regclass) AS h,
            (SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"GatewayRollup1m"'::regclass) AS ms,
            (SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"GatewayRollup1h"'::regclass) AS hs,
            (SELECT max("bucket") + interval '1 minute' FROM "GatewayRollup1m" WHERE "linkId" = '${linkIds[0]}') AS end`,
  );
  log0(
    `reusing the kept data: ${sites} sites, ${linkIds.length} links, ~${Math.round(c!.m).toLocaleString("en-US")} 1-minute rows (${c!.ms}) ending ${c!.end.toISOString()}`,
  );
  return {
    tenantId: m.tenantId,
    token,
    linkIds,
    sites,
    rows: Math.round(c!.m),
    hourRows: Math.round(c!.h),
    size: { m: c!.ms, h: c!.hs },
    genMs: 0,
    dataEnd: c!.end,
  };
}

const log0 = (msg: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
