import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { controlRollout, type RolloutAction } from "./control-rollout";
import { getRollout, listRollouts } from "./list-rollouts";
import { planRollout } from "./plan-rollout";
import { getRolloutDefaults, setRolloutDefaults } from "./rollout-defaults";
import { ROLLOUT_STRATEGIES, ZListRolloutsInput, ZRolloutId, ZRolloutOptionsInput } from "./schema";

const ZJson = z.unknown();
const ZRolloutFields = z.object({
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
const ZTarget = z.object({
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
const ZRollout = ZRolloutFields.extend({ targets: z.array(ZTarget) });
const ZDefaults = z.object({
  stored: ZRolloutOptionsInput.describe("What the tenant set"),
  effective: z.object({
    strategy: z.enum(ROLLOUT_STRATEGIES),
    canary: z.number(),
    batchSize: z.number().nullable(),
    maxConcurrent: z.number().nullable(),
    deadlineSeconds: z.number(),
    soakSeconds: z.number(),
  }).describe("What a change that names no options gets"),
});

const action = (name: RolloutAction, summary: string) =>
  tenantProcedure
    .meta({ openapi: { method: "POST", path: `/rollouts/{id}/${name}`, tags: ["rollouts"], summary } })
    .input(ZRolloutId)
    .output(ZRollout)
    .mutation(({ ctx, input }) => controlRollout(ctx.tenant, input.id, name));

export const rolloutsRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/rollouts", tags: ["rollouts"], summary: "Rollouts, newest first, with target counts per state" } })
    .input(ZListRolloutsInput)
    .output(z.object({ items: z.array(ZRolloutFields), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listRollouts(ctx.tenant, input)),
  get: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/rollouts/{id}", tags: ["rollouts"], summary: "A rollout with every target's wave, state, revisions, reason and evidence" } })
    .input(ZRolloutId)
    .output(ZRollout)
    .query(({ ctx, input }) => getRollout(ctx.tenant, input.id)),
  defaults: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/rollout-defaults", tags: ["rollouts"], summary: "The tenant's default rollout options (a change's own `rollout` options go over them)" } })
    .input(z.object({ tenant: z.string().max(40).optional() }))
    .output(ZDefaults)
    .query(({ ctx }) => getRolloutDefaults(ctx.tenant)),
  setDefaults: tenantProcedure
    .meta({ openapi: { method: "PUT", path: "/rollout-defaults", tags: ["rollouts"], summary: "Set the tenant's default rollout options (ADMIN+)" } })
    .input(ZRolloutOptionsInput.extend({ tenant: z.string().max(40).optional() }))
    .output(ZDefaults)
    .mutation(({ ctx, input }) => {
      const { tenant: _t, ...options } = input;
      return setRolloutDefaults(ctx.tenant, options);
    }),
  // For the console's review of a change (tRPC only: its list input does not fit a GET query string).
  plan: tenantProcedure
    .input(z.object({ tenant: z.string().max(40).optional(), clusters: z.array(z.string().min(1).max(253)).max(5_000), rollout: ZRolloutOptionsInput.optional() }))
    .output(z.object({ options: ZDefaults.shape.effective, waves: z.array(z.array(z.string())) }))
    .query(({ ctx, input }) => planRollout(ctx.tenant, input.clusters, input.rollout)),
  pause: action("pause", "Pause a rollout (OPERATOR+): nothing more is published until resumed"),
  resume: action("resume", "Resume a paused rollout (OPERATOR+)"),
  cancel: action("cancel", "Cancel a rollout (OPERATOR+): targets not yet published never are; published ones stay"),
  rollback: action("rollback", "Roll a rollout back (OPERATOR+): every changed target gets its previous content as a new revision"),
});
