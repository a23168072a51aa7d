import { db } from "../platform/db/client";
import type { Bundle } from "../../protocol/index";

/** The cluster's latest revision with its bundle, as the agent receives it; null when none. */
export async function latestRevision(tenantId: string, clusterId: string) {
  const row = await db().configRevision.findFirst({
    where: { tenantId, clusterId },
    orderBy: { revision: "desc" },
    select: { revision: true, hash: true, bundle: true },
  });
  return row ? { revision: row.revision, hash: row.hash, bundle: row.bundle as unknown as Bundle } : null;
}
