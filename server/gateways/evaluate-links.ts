// Evaluates every link's health (all tenants, as lease evaluation does) from its ends'
// hot state, with each tenant's thresholds, silence after 3 leases, and flap damping;
// writes a link's state only when it changes, with an event per transition. Nothing is
// written for a link whose status holds, so the steady state costs reads only.
import { writeEvents, type ClusterEvent } from "../events/events";
import { db } from "../platform/db/client";
import { MISSED_LEASES_UNKNOWN } from "../../protocol/index";
import { linkStatuses } from "./link-health";
import { evaluateLink, transitionSeverity, type LinkHealth, type LinkState, type RawHealth } from "./evaluate";
import { publishGatewayChanges } from "./live";
import { parseGatewaySettings } from "./settings";

export interface EvaluateLinksResult {
  links: number;
  transitions: number;
}

export async function evaluateLinks(now = new Date(), opts: { tenantId?: string } = {}): Promise<EvaluateLinksResult> {
  // Every tenant's links when run by the workers; one tenant's when asked (tests that move
  // the clock ahead must not judge other tenants' links by it).
  const links = await db().gatewayLink.findMany({
    where: opts.tenantId ? { tenantId: opts.tenantId } : {},
    select: { id: true, tenantId: true, sliceId: true, serverClusterId: true, clientClusterId: true, slice: { select: { name: true } } },
  });
  if (links.length === 0) return { links: 0, transitions: 0 };
  const clusterIds = [...new Set(links.flatMap((l) => [l.serverClusterId, l.clientClusterId]))];
  const clusters = new Map(
    (await db().cluster.findMany({ where: { id: { in: clusterIds } }, select: { id: true, tenantId: true, name: true, leaseDurationSeconds: true } })).map(
      (c) => [c.id, c],
    ),
  );
  const tenants = new Map(
    (await db().tenant.findMany({ where: { id: { in: [...new Set(links.map((l) => l.tenantId))] } }, select: { id: true, settings: true } })).map((t) => [
      t.id,
      parseGatewaySettings(t.settings),
    ]),
  );
  const observed = await linkStatuses(links, now.getTime(), (l) => {
    const s = tenants.get((l as (typeof links)[number]).tenantId);
    const lease = Math.max(clusters.get(l.serverClusterId)?.leaseDurationSeconds ?? 15, clusters.get(l.clientClusterId)?.leaseDurationSeconds ?? 15);
    return { freshMs: MISSED_LEASES_UNKNOWN * lease * 1000, degradedLossPct: s?.degradedLossPct, degradedRttMs: s?.degradedRttMs };
  });
  const prev = new Map(
    (await db().gatewayLinkState.findMany({ where: { linkId: { in: links.map((l) => l.id) } } })).map((s) => [
      s.linkId,
      { ...s, status: s.status as LinkHealth, rawStatus: s.rawStatus as RawHealth } satisfies LinkState & { tenantId: string },
    ]),
  );
  const writes: Array<{ linkId: string; tenantId: string; sliceId: string; state: LinkState; rttMs: number | null; lossPct: number | null }> = [];
  const events: ClusterEvent[] = [];
  for (const l of links) {
    const o = observed.get(l.id);
    if (!o) continue;
    const before = prev.get(l.id);
    // A state row of another tenant (cannot happen: link ids are unique) is never trusted.
    const p = before && before.tenantId === l.tenantId ? before : null;
    const settings = tenants.get(l.tenantId) ?? parseGatewaySettings(null);
    const e = evaluateLink(p, { status: o.status, reason: o.reason }, now, settings);
    const changesMoved = !p || e.next.changes.length !== p.changes.length || e.next.rawStatus !== p.rawStatus;
    if (!e.transition && !changesMoved) continue;
    writes.push({ linkId: l.id, tenantId: l.tenantId, sliceId: l.sliceId, state: e.next, rttMs: o.rttMs, lossPct: o.lossPct });
    // The first evaluation of a link that is simply UP is no news.
    if (e.transition && !(e.transition.from === null && e.transition.to === "UP")) {
      const names = [clusters.get(l.serverClusterId)?.name ?? l.serverClusterId, clusters.get(l.clientClusterId)?.name ?? l.clientClusterId].sort().join(" ↔ ");
      events.push({
        tenantId: l.tenantId,
        clusterId: null,
        type: "link.status",
        severity: transitionSeverity(e.transition.to),
        message: `${l.slice.name}: ${names} ${e.transition.to}${e.next.reason ? ` (${e.next.reason})` : ""}${e.transition.from ? `, was ${e.transition.from}` : ""}`,
        data: { linkId: l.id, sliceId: l.sliceId, from: e.transition.from, to: e.transition.to, reason: e.next.reason, rttMs: o.rttMs, lossPct: o.lossPct },
      });
    }
  }
  if (writes.length) {
    // Prisma keeps DateTime as timestamp without time zone, in UTC: written as UTC text.
    const utc = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");
    const rows = writes.map((w) => ({
      linkId: w.linkId,
      tenantId: w.tenantId,
      sliceId: w.sliceId,
      status: w.state.status,
      rawStatus: w.state.rawStatus,
      reason: w.state.reason,
      since: utc(w.state.since),
      changes: `{${w.state.changes.map((c) => `"${utc(c)}"`).join(",")}}`,
      rttMs: w.rttMs,
      lossPct: w.lossPct,
    }));
    await db().$transaction(async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "GatewayLinkState" ("linkId", "tenantId", "sliceId", "status", "rawStatus", "reason", "since", "changes", "rttMs", "lossPct", "updatedAt")
        SELECT v."linkId", v."tenantId", v."sliceId", v."status"::"LinkHealth", v."rawStatus"::"LinkHealth", v."reason", v."since"::timestamp, v."changes"::timestamp[], v."rttMs", v."lossPct", ${utc(now)}::timestamp
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS v("linkId" text, "tenantId" text, "sliceId" text, "status" text, "rawStatus" text, "reason" text, "since" text, "changes" text, "rttMs" float8, "lossPct" float8)
        -- A link deleted meanwhile has no state to keep.
        WHERE EXISTS (SELECT 1 FROM "GatewayLink" g WHERE g."id" = v."linkId" AND g."tenantId" = v."tenantId")
        ON CONFLICT ("linkId") DO UPDATE SET "status" = EXCLUDED."status", "rawStatus" = EXCLUDED."rawStatus", "reason" = EXCLUDED."reason", "since" = EXCLUDED."since",
          "changes" = EXCLUDED."changes", "rttMs" = EXCLUDED."rttMs", "lossPct" = EXCLUDED."lossPct", "updatedAt" = EXCLUDED."updatedAt"`;
      await writeEvents(tx, events);
    });
    // After commit: open consoles refetch (server-sent events, live.ts).
    await publishGatewayChanges(writes.filter((w) => w.state.since.getTime() === now.getTime()).map((w) => w.tenantId));
  }
  return { links: links.length, transitions: events.length };
}
