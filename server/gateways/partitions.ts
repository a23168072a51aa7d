// Partitions of the rollup tables: created ahead of time, dropped whole when every row
// in them is past retention (DROP TABLE: instant, no DELETE, no vacuum debt).
//
// Retention per tenant: a partition holds every tenant's rows of its period, so it is
// dropped at the longest retention (MAX_RETENTION); a tenant with a shorter one has its
// older rows hidden from every read (readRetention in series.ts clamps the range) and
// gone when the partition goes. That is the price of never deleting row by row.
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";

export type RollupTable = "GatewayRollup1m" | "GatewayRollup1h";

const DAY = 86_400_000;

/** How long the rows of each table are kept at most (days). */
export const MAX_RETENTION_DAYS: Record<RollupTable, number> = { GatewayRollup1m: 30, GatewayRollup1h: 365 };

/** The period of a partition: a UTC day for minutes, a UTC month for hours. */
export function partitionRange(table: RollupTable, at: Date): { name: string; from: Date; to: Date } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  if (table === "GatewayRollup1h") {
    const from = new Date(Date.UTC(y, m, 1));
    return { name: `${table}_p${y}${String(m + 1).padStart(2, "0")}`, from, to: new Date(Date.UTC(y, m + 1, 1)) };
  }
  const from = new Date(Date.UTC(y, m, at.getUTCDate()));
  return { name: `${table}_p${y}${String(m + 1).padStart(2, "0")}${String(at.getUTCDate()).padStart(2, "0")}`, from, to: new Date(from.getTime() + DAY) };
}

// Partitions this process knows exist: the flush asks before each batch, and a
// CREATE ... IF NOT EXISTS for every batch would take a lock on the parent every time.
const known = new Set<string>();

/** Creates the partition of `table` holding `at`, when missing. */
export async function ensurePartition(table: RollupTable, at: Date): Promise<string> {
  const { name, from, to } = partitionRange(table, at);
  if (known.has(name)) return name;
  // Several workers (the flush, the upkeep job, other replicas) may create the same
  // partition at once: concurrent CREATE/REVOKE of one object fails with "tuple
  // concurrently updated", so they take turns on an advisory lock named after it.
  await db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${name}))`;
    // Identifiers and bounds come from partitionRange (digits and the table name), not input.
    await tx.$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    // Read through the parent only, where row-level security applies (see the migration).
    await tx.$executeRawUnsafe(
      `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'isthmus_app') THEN REVOKE ALL ON "${name}" FROM isthmus_app; END IF; END $$`,
    );
  });
  known.add(name);
  return name;
}

/** The partitions of a table, oldest first, with their upper bound (read from the name partitionRange gave them). */
export async function listPartitions(table: RollupTable): Promise<Array<{ name: string; to: Date }>> {
  const rows = await db().$queryRaw<Array<{ name: string }>>`
    SELECT c.relname AS "name" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = ${table} ORDER BY c.relname`;
  return rows.flatMap((r) => {
    const m = /_p(\d{4})(\d{2})(\d{2})?$/.exec(r.name);
    if (!m) return [];
    const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1));
    return [{ name: r.name, to: partitionRange(table, at).to }];
  });
}

export interface MaintainResult {
  created: string[];
  dropped: string[];
  clustered: string[];
}

/** A closed partition is reordered this long after its period ends: late flushes and the hour rollup of its last hours are done. */
export const CLUSTER_AFTER_MS = 3 * 3_600_000;

/**
 * Rewrites closed partitions (days of minutes, months of hours) in primary-key order
 * (link, end, bucket), at most `max` per call, oldest first, each once (CLUSTER marks
 * the index), `CLUSTER_AFTER_MS` after their period ends.
 *
 * Why: the flush writes a minute of every link together, so one link's day is spread
 * over 1,440 heap pages, and a chart read from a cold cache read ~1,000 pages for a day
 * (measured: 980 buffers, 25-55 ms on the busy bench machine, for 963 rows); in key
 * order the same rows sit in ~30 pages (2 ms). The hour table is written the same way.
 * CLUSTER holds an exclusive lock on that one partition while it rewrites it (15-19 s
 * for a 2.9 M-row day here); lock_timeout keeps it from queueing behind a long read
 * (and everyone behind it): it tries again next run.
 */
export async function clusterClosedPartitions(now = new Date(), max = 1): Promise<string[]> {
  const rows = await db().$queryRaw<Array<{ table: RollupTable; name: string; index: string }>>`
    SELECT p.relname AS "table", c.relname AS "name", ic.relname AS "index"
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      JOIN pg_index x ON x.indrelid = c.oid AND x.indisprimary JOIN pg_class ic ON ic.oid = x.indexrelid
    WHERE p.relname IN ('GatewayRollup1m', 'GatewayRollup1h') AND NOT x.indisclustered
    ORDER BY c.relname`;
  const closed = rows.filter((r) => {
    const m = /_p(\d{4})(\d{2})(\d{2})?$/.exec(r.name);
    if (!m) return false;
    const end = partitionRange(r.table, new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1))).to;
    return end.getTime() + CLUSTER_AFTER_MS <= now.getTime();
  });
  const done: string[] = [];
  for (const r of closed.slice(0, max)) {
    try {
      await db().$transaction(
        async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${r.name}))`;
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '2s'`);
          // Names come from the catalog (partitionRange's names and their primary keys), not input.
          await tx.$executeRawUnsafe(`CLUSTER "${r.name}" USING "${r.index}"`);
        },
        { timeout: 30 * 60_000 },
      );
      done.push(r.name);
    } catch (err) {
      // Busy (lock_timeout) or dropped meanwhile: the next run tries again.
      logger.warn({ partition: r.name, err: (err as Error).message }, "could not cluster a closed gateway partition");
    }
  }
  return done;
}

export async function maintainPartitions(now = new Date(), aheadDays = 3): Promise<MaintainResult> {
  const created: string[] = [];
  const dropped: string[] = [];
  const clustered: string[] = [];
  for (const table of ["GatewayRollup1m", "GatewayRollup1h"] as const) {
    for (let d = 0; d <= aheadDays; d++) {
      const name = partitionRange(table, new Date(now.getTime() + d * DAY)).name;
      if (!known.has(name)) created.push(await ensurePartition(table, new Date(now.getTime() + d * DAY)));
    }
    const horizon = now.getTime() - MAX_RETENTION_DAYS[table] * DAY;
    for (const p of await listPartitions(table)) {
      if (p.to.getTime() > horizon) continue;
      await db().$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${p.name}))`;
        await tx.$executeRawUnsafe(`DROP TABLE IF EXISTS "${p.name}"`);
      });
      known.delete(p.name);
      dropped.push(p.name);
    }
  }
  // After the drops: a partition about to go is not worth rewriting.
  clustered.push(...(await clusterClosedPartitions(now)));
  return { created: [...new Set(created)], dropped, clustered };
}
