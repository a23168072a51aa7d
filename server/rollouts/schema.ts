// Rollout options and states. The options ride on every mutation that changes bundles
// (`rollout: {...}`) and in tenant settings (`settings.rollout`) as the default.
import { z } from "zod";

export const ROLLOUT_STRATEGIES = ["ALL_AT_ONCE", "WAVES"] as const;
export const ZRolloutStrategy = z.enum(ROLLOUT_STRATEGIES);

export const ZRolloutOptionsInput = z
  .object({
    strategy: ZRolloutStrategy.optional(),
    // Percent of the targets in the canary wave when no target carries the label
    // isthmus.io/canary=true (at least one cluster when above 0).
    canary: z.number().int().min(0).max(100).optional(),
    // Clusters per wave after the canary.
    batchSize: z.number().int().min(1).max(100_000).optional(),
    // At most this many targets of a wave published and not yet acknowledged at once.
    maxConcurrent: z.number().int().min(1).max(100_000).optional(),
    // A wave whose targets have not all acknowledged within this many seconds fails.
    deadlineSeconds: z
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .optional(),
    // After a wave is applied, its health is watched this long before the next one.
    soakSeconds: z
      .number()
      .int()
      .min(0)
      .max(24 * 3600)
      .optional(),
  })
  .strict();
export type RolloutOptionsInput = z.infer<typeof ZRolloutOptionsInput>;

export interface RolloutOptions {
  strategy: (typeof ROLLOUT_STRATEGIES)[number];
  canary: number;
  batchSize: number | null;
  maxConcurrent: number | null;
  deadlineSeconds: number;
  soakSeconds: number;
}

export const DEFAULT_ROLLOUT_OPTIONS: RolloutOptions = {
  strategy: "ALL_AT_ONCE",
  canary: 10,
  batchSize: null,
  maxConcurrent: null,
  deadlineSeconds: 600,
  soakSeconds: 60,
};

/** Tenant default first, then the change's own options on top. */
export function resolveOptions(tenantDefault: unknown, override: RolloutOptionsInput | undefined): RolloutOptions {
  const parsed = ZRolloutOptionsInput.safeParse(tenantDefault ?? {});
  const base = parsed.success ? parsed.data : {};
  const given = { ...stripUndefined(base), ...stripUndefined(override ?? {}) };
  const merged = { ...DEFAULT_ROLLOUT_OPTIONS, ...given };
  // All at once has a single wave and nothing after it to hold back: no soak unless asked.
  if (merged.strategy === "ALL_AT_ONCE" && given.soakSeconds === undefined) merged.soakSeconds = 0;
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export const ROLLOUT_STATUSES = ["PENDING", "QUEUED", "RUNNING", "PAUSED", "DONE", "FAILED", "CANCELLED", "ROLLED_BACK"] as const;
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];
/** Statuses in which a rollout still holds its clusters (a later one touching them waits). */
export const ACTIVE_STATUSES: RolloutStatus[] = ["PENDING", "QUEUED", "RUNNING", "PAUSED"];
export const FINISHED_STATUSES: RolloutStatus[] = ["DONE", "FAILED", "CANCELLED", "ROLLED_BACK"];

export const TARGET_STATES = [
  "PENDING",
  "PUBLISHED",
  "APPLIED",
  "FAILED",
  "ROLLED_BACK",
  "OFFLINE_PENDING",
  "SUPERSEDED",
  "UNCHANGED",
  "CANCELLED",
  "GONE",
] as const;
export type TargetState = (typeof TARGET_STATES)[number];
/** Target states a wave does not wait for any more. */
export const SETTLED_STATES: TargetState[] = ["APPLIED", "OFFLINE_PENDING", "SUPERSEDED", "UNCHANGED", "GONE"];

export const ZRolloutId = z.object({ id: z.string().min(1).max(64), tenant: z.string().max(40).optional() });
export const ZListRolloutsInput = z
  .object({
    status: z.enum(ROLLOUT_STATUSES).optional(),
    clusterId: z.string().min(1).max(64).optional(),
    limit: z.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(64).optional(),
    tenant: z.string().max(40).optional(),
  })
  .strict();
export type ListRolloutsInput = z.infer<typeof ZListRolloutsInput>;

// What a mutation that changed bundles answers about its rollout (server/rollouts/summary.ts fills it).
export const ZRolloutSummary = z
  .object({ id: z.string(), status: z.string(), strategy: z.string(), queuedBehind: z.string().nullable(), waveCount: z.number() })
  .nullable()
  .describe(
    "The rollout delivering this change (null when no cluster's bundle is affected). QUEUED: it waits for `queuedBehind` to finish (one rollout at a time per cluster).",
  );
export type RolloutSummary = z.infer<typeof ZRolloutSummary>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
const ZJson = z.unknown();
export const ZRolloutFields = z.object({
  id: z.string(),
  status: z.string(),
  strategy: z.string(),
  options: ZJson,
  reason: z.string(),
  actorType: z.string(),
  actorLabel: z.string().nullable(),
  waveCount: z.number(),
  currentWave: z.number(),
  deadlineAt: z.date().nullable(),
  soakUntil: z.date().nullable(),
  blockedById: z.string().nullable().describe("While QUEUED: the rollout this one waits for (one rollout at a time per cluster)"),
  failure: z.string().nullable().describe("Why it stopped, naming the cluster"),
  evidence: ZJson.nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  counts: z.record(z.string(), z.number()).describe("Targets per state"),
  outcome: z.string().describe('One line, e.g. "done, 2 pending (offline)"'),
});
export const ZTarget = z.object({
  clusterId: z.string(),
  clusterName: z.string(),
  wave: z.number(),
  state: z.string(),
  fromRevision: z.number().nullable(),
  toRevision: z.number().nullable(),
  rollbackRevision: z.number().nullable(),
  hash: z.string().nullable(),
  diff: ZJson.nullable(),
  reason: z.string().nullable(),
  evidence: ZJson.nullable(),
  publishedAt: z.date().nullable(),
  ackedAt: z.date().nullable(),
});
export const ZRollout = ZRolloutFields.extend({ targets: z.array(ZTarget) });
export const ZDefaults = z.object({
  stored: ZRolloutOptionsInput.describe("What the tenant set"),
  effective: z
    .object({
      strategy: z.enum(ROLLOUT_STRATEGIES),
      canary: z.number(),
      batchSize: z.number().nullable(),
      maxConcurrent: z.number().nullable(),
      deadlineSeconds: z.number(),
      soakSeconds: z.number(),
    })
    .describe("What a change that names no options gets"),
});
export const ZRolloutPage = z.object({ items: z.array(ZRolloutFields), nextCursor: z.string().nullable() });
export const ZRolloutPlan = z.object({
  options: ZDefaults.shape.effective,
  waves: z.array(z.array(z.string())),
  /** With a draft: each cluster it touches, its wave (null: its bundle does not change), and its manifest diff as YAML. */
  clusters: z.array(
    z.object({
      name: z.string(),
      wave: z.number().int().nullable(),
      changes: z.boolean(),
      fromRevision: z.number().int().nullable(),
      added: z.number().int(),
      removed: z.number().int(),
      changed: z.number().int(),
      /** Unified diff, latest revision → after the change; null when unchanged or beyond the first 100 changed clusters. */
      diff: z.string().nullable(),
    }),
  ),
  /** Why a draft got no diff (its problems), or null. */
  diffError: z.string().nullable(),
});
