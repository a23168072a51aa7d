// One step of a rollout, decided from Postgres alone: start it, publish its wave, wait
// for acks, soak, go to the next wave, finish — or stop and roll back on a FAILED ack, a
// missed deadline or worse health. Idempotent: every decision is taken under the
// rollout's row lock from what is committed, so a step run twice (a retried job, the
// reconciler and an ack at once, a worker killed halfway) does the work once.
import { announceRevisions } from "../config/publish-revision";
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";
import { producer } from "../platform/queues";
import { healthRegressions, readHealth, type HealthSnapshot } from "./health";
import { publishTargets } from "./publish-targets";
import { rollBackInTx, type StopOutcome } from "./rollback";
import type { RolloutOptions } from "./schema";
import { startRollout } from "./start-rollout";

type Decision =
  | { kind: "idle"; wakeAt?: { at: number; step: string } }
  | { kind: "publish" }
  | { kind: "start" }
  | { kind: "again" }
  | { kind: "finished"; announce: Map<string, number> };

/** Test seam: the clock the deadline and soak window are measured with. */
export const rolloutClock = { now: () => Date.now() };

/**
 * Drive the rollout as far as it can go now. `wait: false` (the reconciler) skips a
 * rollout another process is stepping. Returns its status afterwards.
 */
export async function advanceRollout(tenantId: string, rolloutId: string, opts: { wait?: boolean } = {}): Promise<string | null> {
  for (let i = 0; i < 50; i++) {
    const d = await decide(tenantId, rolloutId, opts.wait ?? true);
    if (d.kind === "start") {
      await startRollout(tenantId, rolloutId);
      const r = await db().rollout.findFirst({ where: { id: rolloutId, tenantId }, select: { status: true } });
      if (r?.status !== "RUNNING") {
        if (r?.status === "DONE") await kickQueued(tenantId, rolloutId);
        return r?.status ?? null;
      }
      continue;
    }
    if (d.kind === "publish") {
      await publishTargets(tenantId, rolloutId);
      continue;
    }
    if (d.kind === "again") continue;
    if (d.kind === "idle" && d.wakeAt) await wakeAt(rolloutId, d.wakeAt);
    if (d.kind === "finished") {
      await announceRevisions(d.announce);
      await kickQueued(tenantId, rolloutId);
    }
    break;
  }
  const r = await db().rollout.findFirst({ where: { id: rolloutId, tenantId }, select: { status: true } });
  return r?.status ?? null;
}

/** Test seam: replaces the delayed job that steps the rollout when its soak window ends. */
export const soakHooks: { wake?: (rolloutId: string, at: number) => void } = {};

/**
 * The next wave goes out when the soak window ends, not at the reconciler's next pass
 * after it: a delayed rollouts.advance job keyed by rollout and wave. Lost (Redis
 * flushed), the reconciler still steps it.
 */
async function wakeAt(rolloutId: string, wake: { at: number; step: string }) {
  if (soakHooks.wake) return soakHooks.wake(rolloutId, wake.at);
  try {
    await producer().enqueue("rollouts.advance", { rolloutId }, { jobId: `${rolloutId}-${wake.step}`, delay: Math.max(0, wake.at - Date.now()) });
  } catch (err) {
    logger.warn({ rolloutId, err: (err as Error).message }, "could not schedule the end of the soak window; the reconciler takes it");
  }
}

/** Rollouts queued behind this one may start now that it finished. */
export async function kickQueued(tenantId: string, rolloutId: string) {
  const waiting = await db().rollout.findMany({ where: { tenantId, blockedById: rolloutId, status: "QUEUED" }, select: { id: true }, orderBy: { seq: "asc" } });
  for (const w of waiting) {
    try {
      await advanceRollout(tenantId, w.id);
    } catch (err) {
      logger.warn({ tenantId, rolloutId: w.id, err: (err as Error).message }, "a queued rollout could not start; the reconciler retries");
    }
  }
}

async function decide(tenantId: string, rolloutId: string, wait: boolean): Promise<Decision> {
  return db().$transaction(
    async (tx) => {
      const rows = wait
        ? await tx.$queryRaw<
            Array<{ status: string; currentWave: number; waveCount: number; options: RolloutOptions; deadlineAt: Date | null; soakUntil: Date | null }>
          >`
            SELECT "status", "currentWave", "waveCount", "options", "deadlineAt", "soakUntil" FROM "Rollout" WHERE "id" = ${rolloutId} AND "tenantId" = ${tenantId} FOR UPDATE`
        : await tx.$queryRaw<
            Array<{ status: string; currentWave: number; waveCount: number; options: RolloutOptions; deadlineAt: Date | null; soakUntil: Date | null }>
          >`
            SELECT "status", "currentWave", "waveCount", "options", "deadlineAt", "soakUntil" FROM "Rollout" WHERE "id" = ${rolloutId} AND "tenantId" = ${tenantId} FOR UPDATE SKIP LOCKED`;
      const r = rows[0];
      if (!r) return { kind: "idle" };
      if (r.status === "PENDING" || r.status === "QUEUED") return { kind: "start" };
      if (r.status !== "RUNNING") return { kind: "idle" };
      const now = rolloutClock.now();
      const stop = async (outcome: StopOutcome): Promise<Decision> => ({
        kind: "finished",
        announce: await rollBackInTx(tx, tenantId, rolloutId, outcome, true),
      });
      const targets = await tx.rolloutTarget.findMany({
        where: { rolloutId, tenantId, wave: { lte: r.currentWave } },
        select: { clusterId: true, clusterName: true, wave: true, state: true, reason: true, toRevision: true, healthBefore: true },
      });
      const wave = targets.filter((t) => t.wave === r.currentWave);
      const failed = wave.find((t) => t.state === "FAILED");
      if (failed) {
        return stop({
          status: "FAILED",
          failure: `${failed.clusterName} failed to apply revision ${failed.toRevision} in wave ${r.currentWave + 1}${failed.reason ? `: ${failed.reason}` : ""}`,
          evidence: {
            clusterId: failed.clusterId,
            cluster: failed.clusterName,
            wave: r.currentWave,
            revision: failed.toRevision,
            ack: "FAILED",
            message: failed.reason,
          },
        });
      }
      const waiting = wave.filter((t) => t.state === "PUBLISHED");
      if (waiting.length > 0 && r.deadlineAt && now > r.deadlineAt.getTime()) {
        const names = waiting.map((t) => t.clusterName).sort();
        return stop({
          status: "FAILED",
          failure: `wave ${r.currentWave + 1} missed its deadline of ${r.options.deadlineSeconds} s: no ack from ${names.slice(0, 10).join(", ")}${names.length > 10 ? ` and ${names.length - 10} more` : ""}`,
          evidence: {
            wave: r.currentWave,
            deadlineSeconds: r.options.deadlineSeconds,
            notAcked: waiting.map((t) => ({ clusterId: t.clusterId, cluster: t.clusterName, revision: t.toRevision })),
          },
        });
      }
      if (wave.some((t) => t.state === "PENDING")) {
        // Left to publish (the maxConcurrent window moved, or a crash interrupted a publish).
        const inFlight = waiting.length;
        return !r.options.maxConcurrent || inFlight < r.options.maxConcurrent ? { kind: "publish" } : { kind: "idle" };
      }
      if (waiting.length > 0) return { kind: "idle" };
      // The wave settled. Soak: watch the health of every target applied so far.
      const applied = targets.filter((t) => t.state === "APPLIED");
      if (r.options.soakSeconds > 0 && wave.some((t) => t.state === "APPLIED")) {
        if (!r.soakUntil) {
          await tx.rollout.updateMany({ where: { id: rolloutId, tenantId }, data: { soakUntil: new Date(now + r.options.soakSeconds * 1000) } });
          return { kind: "idle", wakeAt: { at: now + r.options.soakSeconds * 1000, step: `w${r.currentWave}-soaked` } };
        }
        const leases = new Map(
          (
            await tx.cluster.findMany({ where: { tenantId, id: { in: applied.map((t) => t.clusterId) } }, select: { id: true, leaseDurationSeconds: true } })
          ).map((c) => [c.id, c.leaseDurationSeconds]),
        );
        const health = await readHealth(
          applied.map((t) => t.clusterId),
          leases,
          now,
        );
        for (const t of applied) {
          if (!t.healthBefore) continue;
          const worse = healthRegressions(t.healthBefore as unknown as HealthSnapshot, health.get(t.clusterId)!);
          if (worse.length > 0) {
            return stop({
              status: "FAILED",
              failure: `health of ${t.clusterName} got worse during the soak after wave ${r.currentWave + 1}: ${worse.join("; ")}`,
              evidence: {
                clusterId: t.clusterId,
                cluster: t.clusterName,
                wave: r.currentWave,
                regressions: worse,
                before: t.healthBefore,
                after: health.get(t.clusterId),
              },
            });
          }
        }
        if (now < r.soakUntil.getTime()) return { kind: "idle" };
      }
      if (r.currentWave + 1 < r.waveCount) {
        await tx.rollout.updateMany({
          where: { id: rolloutId, tenantId },
          data: { currentWave: r.currentWave + 1, soakUntil: null, deadlineAt: new Date(now + r.options.deadlineSeconds * 1000) },
        });
        return { kind: "publish" };
      }
      await tx.rollout.updateMany({ where: { id: rolloutId, tenantId }, data: { status: "DONE", finishedAt: new Date(now), soakUntil: null } });
      return { kind: "finished", announce: new Map() };
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
