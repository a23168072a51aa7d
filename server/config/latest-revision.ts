import { db } from "../platform/db/client";

/**
 * The cluster's latest revision as the body the agent receives (`{ revision, hash,
 * bundle }`), or null when it has none. The bundle stays the text PostgreSQL sends:
 * a rollout wakes thousands of polls at once, and parsing each bundle only to
 * serialise it again was most of what answering one cost.
 */
export async function latestRevisionBody(tenantId: string, clusterId: string): Promise<{ revision: number; body: string } | null> {
  const [row] = await db().$queryRaw<Array<{ revision: number; hash: string; bundle: string }>>`
    SELECT "revision", "hash", "bundle"::text AS "bundle" FROM "ConfigRevision"
     WHERE "tenantId" = ${tenantId} AND "clusterId" = ${clusterId}
     ORDER BY "revision" DESC LIMIT 1`;
  if (!row) return null;
  return { revision: row.revision, body: `{"revision":${row.revision},"hash":${JSON.stringify(row.hash)},"bundle":${row.bundle}}` };
}
