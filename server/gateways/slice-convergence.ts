// The slice page's one line on its tunnels (convergence.ts), from evaluated link state.
import { requireRole } from "../platform/roles";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { convergenceMessage } from "./convergence";
import type { LinkHealth } from "./evaluate";

export async function sliceConvergence(ctx: TenantContext, sliceId: string) {
  requireRole(ctx, "VIEWER");
  const slice = await db().slice.findFirst({ where: { id: sliceId, tenantId: ctx.tenantId }, select: { id: true } });
  if (!slice) throw new AppError("NOT_FOUND", "slice not found");
  const links = await db().gatewayLink.findMany({
    where: { tenantId: ctx.tenantId, sliceId },
    select: { id: true, serverClusterId: true, clientClusterId: true, health: { select: { status: true, since: true, reason: true } } },
  });
  const names = new Map(
    (
      await db().cluster.findMany({
        where: { tenantId: ctx.tenantId, id: { in: links.flatMap((l) => [l.serverClusterId, l.clientClusterId]) } },
        select: { id: true, name: true },
      })
    ).map((c) => [c.id, c.name]),
  );
  const view = links.map((l) => ({
    linkId: l.id,
    serverName: names.get(l.serverClusterId) ?? l.serverClusterId,
    clientName: names.get(l.clientClusterId) ?? l.clientClusterId,
    status: (l.health?.status ?? "UNKNOWN") as LinkHealth,
    since: l.health?.since ?? null,
    reason: l.health?.reason ?? null,
  }));
  return { message: convergenceMessage(view), linksUp: view.filter((l) => l.status === "UP").length, links: view.length };
}
