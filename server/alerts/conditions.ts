// What each rule kind watches, per tenant: the subjects for which the rule's condition
// holds now, each with a message and the evidence an on-call engineer would ask for.
import { db } from "../platform/db/client";
import { convergenceMessage } from "../gateways/convergence";
import type { LinkHealth } from "../gateways/evaluate";
import { siteScores } from "../gateways/list-sites";

export interface Firing {
  subjectType: "link" | "cluster" | "slice";
  subjectId: string;
  subjectName: string;
  message: string;
  evidence: Record<string, unknown>;
}

export interface RuleSpec {
  kind: "LINK_DOWN" | "SITE_UNAVAILABLE" | "LOSS_ABOVE" | "SLICE_NOT_CONVERGED" | "SCORE_BELOW";
  threshold: number | null;
  forSeconds: number;
}

const ago = (now: Date, s: number) => new Date(now.getTime() - s * 1000);

async function linkNames(tenantId: string, linkIds: string[]) {
  const links = await db().gatewayLink.findMany({
    where: { tenantId, id: { in: linkIds } },
    select: { id: true, serverClusterId: true, clientClusterId: true, slice: { select: { name: true } } },
  });
  const names = new Map(
    (
      await db().cluster.findMany({
        where: { tenantId, id: { in: links.flatMap((l) => [l.serverClusterId, l.clientClusterId]) } },
        select: { id: true, name: true },
      })
    ).map((c) => [c.id, c.name]),
  );
  return new Map(links.map((l) => [l.id, `${l.slice.name}: ${[names.get(l.serverClusterId) ?? "?", names.get(l.clientClusterId) ?? "?"].sort().join(" ↔ ")}`]));
}

export async function firing(tenantId: string, rule: RuleSpec, now: Date): Promise<Firing[]> {
  switch (rule.kind) {
    case "LINK_DOWN": {
      const down = await db().gatewayLinkState.findMany({
        where: { tenantId, status: "DOWN", since: { lte: ago(now, rule.forSeconds) } },
        select: { linkId: true, since: true, reason: true, rttMs: true, lossPct: true },
      });
      const names = await linkNames(
        tenantId,
        down.map((d) => d.linkId),
      );
      return down.map((d) => ({
        subjectType: "link",
        subjectId: d.linkId,
        subjectName: names.get(d.linkId) ?? d.linkId,
        message: `${names.get(d.linkId) ?? d.linkId} DOWN since ${d.since.toISOString()}${d.reason ? ` (${d.reason})` : ""}`,
        evidence: { status: "DOWN", since: d.since.toISOString(), reason: d.reason, lossPct: d.lossPct, rttMs: d.rttMs },
      }));
    }
    case "SITE_UNAVAILABLE": {
      const cs = await db().cluster.findMany({
        where: { tenantId, availability: "UNKNOWN", OR: [{ lastSeenAt: null }, { lastSeenAt: { lte: ago(now, rule.forSeconds) } }] },
        select: { id: true, name: true, lastSeenAt: true, siteType: true },
      });
      return cs.map((c) => ({
        subjectType: "cluster",
        subjectId: c.id,
        subjectName: c.name,
        message: `${c.name} is UNKNOWN (last heartbeat ${c.lastSeenAt?.toISOString() ?? "never"})`,
        evidence: { availability: "UNKNOWN", lastSeenAt: c.lastSeenAt?.toISOString() ?? null, siteType: c.siteType },
      }));
    }
    case "LOSS_ABOVE": {
      // Every minute of the window above the threshold (the newest minute may not be
      // flushed yet: the window ends a minute ago).
      const minutes = Math.max(1, Math.ceil(rule.forSeconds / 60));
      const end = new Date(Math.floor(now.getTime() / 60_000) * 60_000 - 60_000);
      const from = new Date(end.getTime() - minutes * 60_000);
      const rows = await db().$queryRaw<Array<{ linkId: string; minutes: number; minLoss: number; maxLoss: number }>>`
        SELECT "linkId", count(DISTINCT "bucket")::int AS "minutes", min("lossMax") AS "minLoss", max("lossMax") AS "maxLoss" FROM (
          SELECT "linkId", "bucket", max("lossAvg") AS "lossMax" FROM "GatewayRollup1m"
          WHERE "tenantId" = ${tenantId} AND "bucket" >= ${from} AND "bucket" < ${end} GROUP BY 1, 2) m
        GROUP BY 1 HAVING count(DISTINCT "bucket") >= ${minutes} AND min("lossMax") > ${rule.threshold ?? 100}`;
      const names = await linkNames(
        tenantId,
        rows.map((r) => r.linkId),
      );
      return rows.map((r) => ({
        subjectType: "link",
        subjectId: r.linkId,
        subjectName: names.get(r.linkId) ?? r.linkId,
        message: `${names.get(r.linkId) ?? r.linkId}: loss above ${rule.threshold} % for ${minutes} min (between ${Math.round(r.minLoss * 10) / 10} and ${Math.round(r.maxLoss * 10) / 10} %)`,
        evidence: { minutes, from: from.toISOString(), to: end.toISOString(), minLossPct: r.minLoss, maxLossPct: r.maxLoss },
      }));
    }
    case "SLICE_NOT_CONVERGED": {
      const states = await db().gatewayLinkState.findMany({
        where: { tenantId, status: { not: "UP" }, since: { lte: ago(now, rule.forSeconds) } },
        select: { sliceId: true },
      });
      const sliceIds = [...new Set(states.map((s) => s.sliceId))];
      const out: Firing[] = [];
      for (const sliceId of sliceIds) {
        const slice = await db().slice.findFirst({
          where: { id: sliceId, tenantId },
          select: {
            name: true,
            links: {
              where: { tenantId },
              select: { serverClusterId: true, clientClusterId: true, health: { select: { status: true, since: true, reason: true } } },
            },
          },
        });
        if (!slice) continue;
        const names = new Map(
          (
            await db().cluster.findMany({
              where: { tenantId, id: { in: slice.links.flatMap((l) => [l.serverClusterId, l.clientClusterId]) } },
              select: { id: true, name: true },
            })
          ).map((c) => [c.id, c.name]),
        );
        const message = convergenceMessage(
          slice.links.map((l) => ({
            serverName: names.get(l.serverClusterId) ?? "?",
            clientName: names.get(l.clientClusterId) ?? "?",
            status: (l.health?.status ?? "UNKNOWN") as LinkHealth,
            since: l.health?.since ?? null,
            reason: l.health?.reason ?? null,
          })),
        );
        out.push({
          subjectType: "slice",
          subjectId: sliceId,
          subjectName: slice.name,
          message: `${slice.name}: ${message}`,
          evidence: { convergence: message },
        });
      }
      return out;
    }
    case "SCORE_BELOW": {
      const sites = (await siteScores(tenantId)).filter((s) => s.score !== null && s.score < (rule.threshold ?? 0));
      return sites.map((s) => ({
        subjectType: "cluster",
        subjectId: s.id,
        subjectName: s.name,
        message: `${s.name} scores ${s.summary}`,
        evidence: { score: s.score, factors: s.factors },
      }));
    }
  }
}
