// Closed partitions (days of minutes, months of hours) are rewritten in key order (link, end,
// minute), once, and only hours after their day closed. In a database of its own: it
// pretends days pass, and rewrites partitions other test files would be writing to.
import { afterAll, beforeAll, expect, test } from "vitest";
import { privateDatabase, type PrivateDatabase } from "../../test/private-stack";

let database: PrivateDatabase;
let m: { db: typeof import("../platform/db/client"); partitions: typeof import("./partitions") };

beforeAll(async () => {
  database = await privateDatabase();
  process.env.DATABASE_URL = database.url;
  m = { db: await import("../platform/db/client"), partitions: await import("./partitions") };
}, 60_000);

afterAll(async () => {
  await m?.db.closeDb();
  await database?.drop();
});

const clustered = async () =>
  (
    await m.db.db().$queryRaw<Array<{ name: string }>>`
      SELECT c.relname AS "name" FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
      WHERE x.indisclustered AND c.relname LIKE 'GatewayRollup1_\_p%' ORDER BY 1`
  ).map((r) => r.name);

test("a closed day (or month of hours) is reordered by link once it is 3 h past, then never again; its rows stay, in key order", async () => {
  const { ensurePartition, clusterClosedPartitions } = m.partitions;
  const db = m.db.db;
  await ensurePartition("GatewayRollup1m", new Date("2026-04-01T00:00:00Z"));
  await ensurePartition("GatewayRollup1m", new Date("2026-04-02T00:00:00Z"));
  await ensurePartition("GatewayRollup1h", new Date("2026-03-15T00:00:00Z"));
  await ensurePartition("GatewayRollup1h", new Date("2026-04-15T00:00:00Z"));
  // Every link's minute written together, as the flush does: 3 links x 1,440 minutes of 1 April.
  await db().$executeRawUnsafe(
    `INSERT INTO "GatewayRollup1m" ("tenantId","linkId","clusterId","bucket","samples","rttCount","lossCount","secondsUp","secondsDegraded","secondsDown","secondsUnknown","rttHist")
     SELECT 't', l, 'c', m, 1, 0, 0, 60, 0, 0, 0, '{0}' FROM generate_series(TIMESTAMPTZ '2026-04-01 00:00:00+00', TIMESTAMPTZ '2026-04-01 23:59:00+00', interval '1 minute') AS m CROSS JOIN unnest(ARRAY['l1','l2','l3']) AS l`,
  );

  // Less than 3 h after 1 April ended: its minutes not yet; March's hours (closed since 1 April) yes.
  expect(await clusterClosedPartitions(new Date("2026-04-02T02:59:00Z"), 5)).toEqual(["GatewayRollup1h_p202603"]);
  // Then 1 April's minutes; April's hours are still being written.
  expect(await clusterClosedPartitions(new Date("2026-04-02T03:00:00Z"), 5)).toEqual(["GatewayRollup1m_p20260401"]);
  expect(await clustered()).toEqual(["GatewayRollup1h_p202603", "GatewayRollup1m_p20260401"]);
  // Once: a later run leaves it, and 2 April's day is not over.
  expect(await clusterClosedPartitions(new Date("2026-04-02T12:00:00Z"), 5)).toEqual([]);

  // The rows are all there, and a link's day is now contiguous in the heap (ctid order = key order).
  const rows = await db().$queryRaw<Array<{ linkId: string }>>`SELECT "linkId" FROM "GatewayRollup1m_p20260401" ORDER BY ctid`;
  expect(rows).toHaveLength(3 * 1440);
  expect(rows.slice(0, 1440).every((r) => r.linkId === "l1")).toBe(true);
  expect(rows.slice(1440, 2880).every((r) => r.linkId === "l2")).toBe(true);
});
