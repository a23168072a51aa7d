import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import type { Prisma } from "../platform/db/generated/client";
import { fieldError } from "../platform/errors";
import { parseInput, unknownCursor } from "../platform/validation";
import { CLUSTER_LIST_SELECT, toListItem } from "./cluster-view";
import { readLastSeen } from "./hot-state";
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
  if (f.cursor && !(await db().cluster.findFirst({ where: { id: f.cursor, tenantId: ctx.tenantId }, select: { id: true } }))) throw unknownCursor();
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
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  const hot = await readLastSeen(page.map((r) => r.id));
  return { items: page.map((r) => toListItem(r, hot.get(r.id))), nextCursor: more ? page[page.length - 1]!.id : null };
}
