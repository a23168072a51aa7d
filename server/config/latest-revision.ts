// The cluster's latest revision as the body the agent receives (`{ revision, hash,
// bundle }`). A rollout announces a chunk of hundreds of clusters at once, and each of
// their held polls asks for its revision in the same moment: the asks of one turn of
// the event loop are answered by one query (a round trip per poll was most of what
// answering one cost). The bundle stays the JSON text PostgreSQL sends, never parsed
// only to be serialised again.
import { db } from "../platform/db/client";
import { withoutTenantScope } from "../platform/db/tenant-scope";

export interface RevisionBody {
  revision: number;
  body: string;
}

interface Ask {
  tenantId: string;
  clusterId: string;
  resolve: (v: RevisionBody | null) => void;
  reject: (err: unknown) => void;
}

// Clusters per query: the parameters stay small, and a huge wake-up still streams.
const BATCH = 500;
let asks: Ask[] = [];
let scheduled = false;

/** The cluster's latest revision and its body, or null when it has none. */
export function latestRevisionBody(tenantId: string, clusterId: string): Promise<RevisionBody | null> {
  return new Promise((resolve, reject) => {
    asks.push({ tenantId, clusterId, resolve, reject });
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });
}

function flush() {
  scheduled = false;
  const mine = asks;
  asks = [];
  for (let i = 0; i < mine.length; i += BATCH) void answer(mine.slice(i, i + BATCH));
}

async function answer(batch: Ask[]) {
  try {
    // Each pair comes from an authenticated agent; the query spans tenants as the agent
    // API's other cluster lookups do, whatever scope the first asker ran in.
    const rows = await withoutTenantScope(
      () => db().$queryRaw<Array<{ tenantId: string; clusterId: string; revision: number; hash: string; bundle: string }>>`
        SELECT k."tenantId", k."clusterId", r."revision", r."hash", r."bundle"::text AS "bundle"
          FROM unnest(${batch.map((a) => a.tenantId)}::text[], ${batch.map((a) => a.clusterId)}::text[]) AS k("tenantId", "clusterId")
          JOIN LATERAL (SELECT "revision", "hash", "bundle" FROM "ConfigRevision"
                         WHERE "tenantId" = k."tenantId" AND "clusterId" = k."clusterId"
                         ORDER BY "revision" DESC LIMIT 1) r ON true`,
    );
    const found = new Map(rows.map((r) => [`${r.tenantId}/${r.clusterId}`, r]));
    for (const a of batch) {
      const r = found.get(`${a.tenantId}/${a.clusterId}`);
      a.resolve(r ? { revision: r.revision, body: `{"revision":${r.revision},"hash":${JSON.stringify(r.hash)},"bundle":${r.bundle}}` } : null);
    }
  } catch (err) {
    for (const a of batch) a.reject(err);
  }
}
