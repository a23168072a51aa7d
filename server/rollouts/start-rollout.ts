// Starting a rollout: wait behind any earlier rollout that holds one of its clusters
// (one rollout at a time per cluster, never interleaved), then compute every target's
// bundle once, from the state committed now, and plan the waves.
import { db, type Tx } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { ZBundle, type Bundle } from "../../protocol/index";
import { compileClusterBundles } from "../bundles/compile-bundle";
import { parseInput } from "../platform/validation";
import { bundleHash } from "../config/bundle-hash";
import { planWaves } from "./plan";
import { ACTIVE_STATUSES, type RolloutOptions } from "./schema";

// Bundles compiled per query batch, and targets written per statement.
const COMPILE_CHUNK = 1_000;
const WRITE_CHUNK = 500;

interface TargetRow {
  id: string;
  state: string | null;
  reason: string | null;
  bundle: Bundle | null;
  hash: string | null;
  fromRevision: number | null;
  toRevision: number | null;
  diff: object | null;
  wave?: number;
}

type ManifestLike = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
const manifestKey = (m: ManifestLike) => `${m.apiVersion}/${m.kind}/${m.metadata?.namespace ?? ""}/${m.metadata?.name}`;

/** Counts of manifests added, removed and changed from one bundle to the next. */
export function manifestDiff(before: unknown, after: unknown) {
  const index = (b: unknown) => new Map(((b as { manifests?: ManifestLike[] } | null)?.manifests ?? []).map((m) => [manifestKey(m), JSON.stringify(m)]));
  const [a, b] = [index(before), index(after)];
  let added = 0;
  let removed = 0;
  let changed = 0;
  for (const [k, v] of b)
    if (!a.has(k)) added++;
    else if (a.get(k) !== v) changed++;
  for (const k of a.keys()) if (!b.has(k)) removed++;
  return { added, removed, changed };
}

/** The earliest unfinished rollout created before this one that shares a cluster with it. */
async function blockerOf(tx: Tx, tenantId: string, rolloutId: string, seq: bigint) {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT r."id" FROM "Rollout" r
     WHERE r."tenantId" = ${tenantId} AND r."seq" < ${seq} AND r."status" = ANY(${ACTIVE_STATUSES}::text[])
       AND EXISTS (SELECT 1 FROM "RolloutTarget" a JOIN "RolloutTarget" b ON a."clusterId" = b."clusterId"
                    WHERE a."rolloutId" = r."id" AND b."rolloutId" = ${rolloutId})
     ORDER BY r."seq" LIMIT 1`;
  return rows[0]?.id ?? null;
}

/**
 * Start the rollout if it is PENDING or QUEUED and nothing earlier holds its clusters.
 * Idempotent: runs under the rollout's row lock, and does nothing once started.
 * Returns the status it leaves the rollout in.
 */
export async function startRollout(tenantId: string, rolloutId: string): Promise<string> {
  return db().$transaction(
    async (tx) => {
      const [r] = await tx.$queryRaw<Array<{ status: string; seq: bigint; options: RolloutOptions }>>`
        SELECT "status", "seq", "options" FROM "Rollout" WHERE "id" = ${rolloutId} AND "tenantId" = ${tenantId} FOR UPDATE`;
      if (!r) throw new AppError("NOT_FOUND", "rollout not found");
      if (r.status !== "PENDING" && r.status !== "QUEUED") return r.status;
      const blocker = await blockerOf(tx, tenantId, rolloutId, r.seq);
      if (blocker) {
        await tx.rollout.updateMany({ where: { id: rolloutId, tenantId }, data: { status: "QUEUED", blockedById: blocker } });
        return "QUEUED";
      }
      const targets = await tx.rolloutTarget.findMany({ where: { rolloutId, tenantId }, select: { id: true, clusterId: true } });
      const clusters = await tx.cluster.findMany({
        where: { tenantId, id: { in: targets.map((t) => t.clusterId) } },
        select: { id: true, name: true, labels: true },
      });
      const byId = new Map(clusters.map((c) => [c.id, c]));
      const latest = await tx.$queryRaw<Array<{ clusterId: string; revision: number; hash: string; bundle: unknown }>>`
        SELECT DISTINCT ON ("clusterId") "clusterId", "revision", "hash", "bundle" FROM "ConfigRevision"
         WHERE "tenantId" = ${tenantId} AND "clusterId" = ANY(${targets.map((t) => t.clusterId)}::text[])
         ORDER BY "clusterId", "revision" DESC`;
      const latestOf = new Map(latest.map((l) => [l.clusterId, l]));
      // Every bundle in a few queries for the whole rollout, not a handful per cluster.
      const bundles = new Map<string, Bundle>();
      for (let i = 0; i < clusters.length; i += COMPILE_CHUNK) {
        const compiled = await compileClusterBundles(
          tx,
          tenantId,
          clusters.slice(i, i + COMPILE_CHUNK).map((c) => c.id),
        );
        for (const [id, b] of compiled) bundles.set(id, parseInput(ZBundle, b));
      }
      const changing: Array<{ clusterId: string; name: string; labels: Record<string, string> }> = [];
      const rows: TargetRow[] = [];
      for (const t of targets) {
        const c = byId.get(t.clusterId);
        const bundle = bundles.get(t.clusterId);
        if (!c || !bundle) {
          rows.push({ id: t.id, state: "GONE", reason: "the cluster was deleted", bundle: null, hash: null, fromRevision: null, toRevision: null, diff: null });
          continue;
        }
        const hash = bundleHash(bundle);
        const from = latestOf.get(t.clusterId);
        const unchanged = from?.hash === hash;
        rows.push({
          id: t.id,
          state: unchanged ? "UNCHANGED" : null,
          reason: null,
          bundle: unchanged ? null : bundle,
          hash,
          fromRevision: from?.revision ?? null,
          toRevision: unchanged ? from.revision : null,
          diff: manifestDiff(from?.bundle ?? null, bundle),
        });
        if (!unchanged) changing.push({ clusterId: c.id, name: c.name, labels: (c.labels ?? {}) as Record<string, string> });
      }
      const waves = planWaves(changing, r.options);
      const waveOf = new Map(waves.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
      const clusterOfTarget = new Map(targets.map((t) => [t.id, t.clusterId]));
      for (const row of rows) row.wave = waveOf.get(clusterOfTarget.get(row.id)!) ?? 0;
      // One statement per chunk of targets: their bundle, hash, diff, wave and state.
      for (let i = 0; i < rows.length; i += WRITE_CHUNK) {
        const chunk = JSON.stringify(rows.slice(i, i + WRITE_CHUNK));
        await tx.$executeRaw`
          UPDATE "RolloutTarget" t SET
                 "bundle" = COALESCE(v."bundle", t."bundle"), "hash" = COALESCE(v."hash", t."hash"),
                 "fromRevision" = v."fromRevision", "toRevision" = COALESCE(v."toRevision", t."toRevision"), "diff" = COALESCE(v."diff", t."diff"),
                 "state" = COALESCE(v."state", t."state"), "reason" = COALESCE(v."reason", t."reason"), "wave" = v."wave", "updatedAt" = now()
            FROM jsonb_to_recordset(${chunk}::jsonb) AS v("id" text, "state" text, "reason" text, "bundle" jsonb, "hash" text, "fromRevision" int, "toRevision" int, "diff" jsonb, "wave" int)
           WHERE t."id" = v."id" AND t."tenantId" = ${tenantId} AND t."rolloutId" = ${rolloutId}`;
      }
      const now = new Date();
      const status = waves.length === 0 ? "DONE" : "RUNNING";
      await tx.rollout.updateMany({
        where: { id: rolloutId, tenantId },
        data: {
          status,
          blockedById: null,
          waveCount: waves.length,
          currentWave: 0,
          startedAt: now,
          deadlineAt: new Date(now.getTime() + r.options.deadlineSeconds * 1000),
          ...(status === "DONE" ? { finishedAt: now } : {}),
        },
      });
      return status;
    },
    { maxWait: 15_000, timeout: 120_000 },
  );
}
