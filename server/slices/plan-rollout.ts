// The delivery plan shown before a change is saved: which clusters change, in which
// wave under the tenant's default (or the given) options, and — for a slice draft — each
// cluster's manifest diff. The rollout itself plans the same way, over the clusters
// whose bundle actually changes. Here rather than in rollouts/ because the diff runs the
// slice write itself (rolled back): the delivery core does not call slice services.
import { requireRole } from "../platform/roles";
import { stringify } from "yaml";
import type { TenantContext } from "../platform/context";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { compileClusterBundles } from "../bundles/compile-bundle";
import { writeSlice } from "./save-slice";
import { bundleHash } from "../config/bundle-hash";
import { planWaves } from "../rollouts/plan";
import { resolveOptions, type RolloutOptionsInput } from "../rollouts/schema";
import { manifestDiff } from "../rollouts/start-rollout";
import { unifiedDiff } from "../rollouts/unified-diff";

/** Diffs beyond this many clusters, or this many characters, are left out (the counts stay). */
const MAX_DIFFS = 100;
const MAX_DIFF_CHARS = 200_000;

export interface PlannedChange {
  slice?: { id?: string; spec: unknown };
}

/**
 * The bundle as YAML: its slices (links, QoS, isolation) and the manifests to apply. The
 * whole bundle rather than only the manifests, so a change of QoS or links shows too.
 */
// Keys sorted: a stored revision comes back from jsonb in its own key order.
const bundleYaml = (bundle: unknown) => (bundle ? stringify(bundle, { sortMapEntries: true }) : "");

/** Thrown to roll the dry run's transaction back once it has what it needs. */
class DryRun extends Error {
  constructor(readonly result: Map<string, { name: string; before: { revision: number; bundle: unknown } | null; after: unknown }>) {
    super("dry run");
  }
}

/**
 * The slice write as the save would make it, in a transaction that is always rolled
 * back: the bundles of the clusters it touches, compiled from the changed state, beside
 * their latest revision's.
 */
async function dryRunSlice(ctx: TenantContext, change: NonNullable<PlannedChange["slice"]>) {
  try {
    await db().$transaction(
      async (tx) => {
        const written = await writeSlice(tx, ctx, { id: change.id, spec: () => change.spec as never, force: true });
        const after = await compileClusterBundles(tx, ctx.tenantId, written.affected);
        const latest = await tx.$queryRaw<Array<{ clusterId: string; revision: number; bundle: unknown }>>`
          SELECT DISTINCT ON ("clusterId") "clusterId", "revision", "bundle" FROM "ConfigRevision"
           WHERE "tenantId" = ${ctx.tenantId} AND "clusterId" = ANY(${written.affected}::text[])
           ORDER BY "clusterId", "revision" DESC`;
        const before = new Map(latest.map((l) => [l.clusterId, l]));
        throw new DryRun(new Map([...after].map(([id, bundle]) => [id, { name: bundle.cluster.name, before: before.get(id) ?? null, after: bundle }])));
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (err) {
    if (err instanceof DryRun) return err.result;
    throw err;
  }
  return new Map();
}

export async function planRollout(ctx: TenantContext, clusterNames: readonly string[], override?: RolloutOptionsInput, change: PlannedChange = {}) {
  const tenant = await db().tenant.findFirst({ where: { id: ctx.tenantId }, select: { settings: true } });
  const options = resolveOptions(((tenant?.settings ?? {}) as { rollout?: unknown }).rollout, override);
  let dry: Awaited<ReturnType<typeof dryRunSlice>> | null = null;
  let diffError: string | null = null;
  if (change.slice) {
    // A draft's diff runs the slice write (rolled back), taking the slice's and its
    // clusters' locks for up to its timeout: only who may save the slice may plan it,
    // so a read-only member cannot hold writers up with plans.
    requireRole(ctx, "OPERATOR");
    try {
      dry = await dryRunSlice(ctx, change.slice);
    } catch (err) {
      // An invalid draft: the wizard shows its problems by field; the plan says why it has no diff.
      if (!(err instanceof AppError)) throw err;
      diffError = err.message;
    }
  }
  // With a draft, the clusters it touches (old and new members); else the named ones.
  const names = dry ? [...new Set([...clusterNames, ...[...dry.values()].map((d) => d.name)])] : [...clusterNames];
  const clusters = await db().cluster.findMany({ where: { tenantId: ctx.tenantId, name: { in: names } }, select: { id: true, name: true, labels: true } });
  const changes = (id: string) => {
    const d = dry?.get(id);
    return !d || !d.before || bundleHash(d.before.bundle) !== bundleHash(d.after);
  };
  const nameOf = new Map(clusters.map((c) => [c.id, c.name]));
  const waveIds = planWaves(
    clusters.filter((c) => changes(c.id)).map((c) => ({ clusterId: c.id, name: c.name, labels: (c.labels ?? {}) as Record<string, string> })),
    options,
  );
  const waves = waveIds.map((ids) => ids.map((id) => nameOf.get(id)!));
  const waveOf = new Map(waveIds.flatMap((ids, i) => ids.map((id) => [id, i] as const)));
  let diffs = 0;
  const perCluster = dry
    ? [...clusters]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .flatMap((c) => {
          const d = dry!.get(c.id);
          if (!d) return [];
          const counts = manifestDiff(d.before?.bundle ?? null, d.after);
          let diff: string | null = null;
          if (changes(c.id) && diffs < MAX_DIFFS) {
            diffs++;
            diff = unifiedDiff(bundleYaml(d.before?.bundle ?? null), bundleYaml(d.after), {
              from: d.before ? `${c.name} revision ${d.before.revision}` : `${c.name} (no revision yet)`,
              to: `${c.name} after this change`,
            });
            if (diff.length > MAX_DIFF_CHARS) diff = `${diff.slice(0, MAX_DIFF_CHARS)}\n… (diff cut at ${MAX_DIFF_CHARS} characters)\n`;
          }
          return [{ name: c.name, wave: waveOf.get(c.id) ?? null, changes: changes(c.id), fromRevision: d.before?.revision ?? null, ...counts, diff }];
        })
    : [];
  return { options, waves, clusters: perCluster, diffError };
}
