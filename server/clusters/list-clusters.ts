import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import type { Prisma } from "../platform/db/generated/client";
import { fieldError } from "../platform/errors";
import { assertKnownCursor, pageArgs, pageOf } from "../platform/pagination";
import { parseInput } from "../platform/validation";
import { CLUSTER_LIST_SELECT, toListItem } from "./cluster-view";
import { readLastSeen } from "../hot-state/hot-state";
import { parseLabelSelector } from "../platform/labels";
import { ZListClustersInput, type ListClustersInput } from "./schema";

/** One page of the tenant's clusters by name, filtered server-side; `nextCursor` continues. */
export async function listClusters(ctx: TenantContext, input: ListClustersInput = {}) {
  requireRole(ctx, "VIEWER");
  const f = parseInput(ZListClustersInput, input);
  const and: Prisma.ClusterWhereInput[] = [];
  if (f.labels) {
    const selector = parseLabelSelector(f.labels);
    if (!selector.ok) throw fieldError("labels", selector.message);
    for (const [k, v] of Object.entries(selector.pairs)) and.push({ labels: { path: [k], equals: v } });
  }
  await assertKnownCursor(f.cursor, (id) => db().cluster.findFirst({ where: { id, tenantId: ctx.tenantId }, select: { id: true } }));
  const rows = await db().cluster.findMany({
    where: {
      tenantId: ctx.tenantId,
      ...(f.search ? { name: { contains: f.search, mode: "insensitive" as const } } : {}),
      ...(f.siteType ? { siteType: f.siteType } : {}),
      ...(f.availability ? { availability: f.availability } : {}),
      ...(and.length ? { AND: and } : {}),
    },
    select: CLUSTER_LIST_SELECT,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    ...pageArgs(f),
  });
  const page = pageOf(rows, f.limit);
  const hot = await readLastSeen(page.items.map((r) => r.id));
  return { items: page.items.map((r) => toListItem(r, hot.get(r.id))), nextCursor: page.nextCursor };
}
