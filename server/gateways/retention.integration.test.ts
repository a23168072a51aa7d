// Retention drops whole partitions, and only those wholly past it. In a database of its
// own: pretending it is a month later drops partitions other test files of the run are
// writing to.
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

test("partitions are created ahead; those wholly past retention are dropped, with their rows; the rest stay", async () => {
  const { maintainPartitions, listPartitions } = m.partitions;
  const db = m.db.db;
  const DAY = 86_400_000;
  const start = new Date("2026-03-10T12:00:00Z");
  expect((await maintainPartitions(start, 2)).created).toEqual([
    "GatewayRollup1m_p20260310",
    "GatewayRollup1m_p20260311",
    "GatewayRollup1m_p20260312",
    "GatewayRollup1h_p202603",
  ]);
  await db()
    .$executeRaw`INSERT INTO "GatewayRollup1m" ("tenantId","linkId","clusterId","bucket","samples","rttCount","lossCount","secondsUp","secondsDegraded","secondsDown","secondsUnknown","rttHist")
    VALUES ('t','l','c',${new Date("2026-03-10T12:00:00Z")},1,0,0,60,0,0,0,'{0}'), ('t','l','c',${new Date("2026-03-11T12:00:00Z")},1,0,0,60,0,0,0,'{0}')`;

  // 30 days after the end of 10 March: that day's partition is past the minutes' retention, 11 March's is not.
  const later = new Date(Date.UTC(2026, 2, 11) + 30 * DAY + 1000);
  const res = await maintainPartitions(later, 0);
  expect(res.dropped).toEqual(["GatewayRollup1m_p20260310"]);
  const left = (await listPartitions("GatewayRollup1m")).map((p) => p.name);
  expect(left).toContain("GatewayRollup1m_p20260311");
  expect(left).not.toContain("GatewayRollup1m_p20260310");
  const rows = await db().$queryRaw<Array<{ bucket: Date }>>`SELECT "bucket" FROM "GatewayRollup1m" ORDER BY "bucket"`;
  expect(rows.map((r) => r.bucket.toISOString())).toEqual(["2026-03-11T12:00:00.000Z"]);
  // The hour table keeps a year: March is still there.
  expect((await listPartitions("GatewayRollup1h")).map((p) => p.name)).toContain("GatewayRollup1h_p202603");
  // A year and a month later, March's hours go too.
  expect((await maintainPartitions(new Date(Date.UTC(2027, 3, 2)), 0)).dropped).toContain("GatewayRollup1h_p202603");
});
