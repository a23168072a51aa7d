import { z } from "zod";
import { router, tenantProcedure } from "../trpc/trpc";
import { controlRollout, type RolloutAction } from "./control-rollout";
import { getRollout, listRollouts } from "./list-rollouts";
import { planRollout } from "../slices/plan-rollout";
import { getRolloutDefaults, setRolloutDefaults } from "./rollout-defaults";
import { ZDefaults, ZListRolloutsInput, ZRollout, ZRolloutId, ZRolloutOptionsInput, ZRolloutPage, ZRolloutPlan } from "./schema";

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
    .output(ZRolloutPage)
    .query(({ ctx, input }) => listRollouts(ctx.tenant, input)),
  get: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/rollouts/{id}",
        tags: ["rollouts"],
        summary: "A rollout with every target's wave, state, revisions, reason and evidence",
      },
    })
    .input(ZRolloutId)
    .output(ZRollout)
    .query(({ ctx, input }) => getRollout(ctx.tenant, input.id)),
  defaults: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/rollout-defaults",
        tags: ["rollouts"],
        summary: "The tenant's default rollout options (a change's own `rollout` options go over them)",
      },
    })
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
    .input(
      z.object({
        tenant: z.string().max(40).optional(),
        clusters: z.array(z.string().min(1).max(253)).max(5_000),
        rollout: ZRolloutOptionsInput.optional(),
        // A slice draft (as slices.preview takes it): the plan then carries each cluster's manifest diff.
        slice: z.object({ id: z.string().min(1).max(64).optional(), spec: z.unknown() }).optional(),
      }),
    )
    .output(ZRolloutPlan)
    .query(({ ctx, input }) => planRollout(ctx.tenant, input.clusters, input.rollout, { slice: input.slice })),
  pause: action("pause", "Pause a rollout (OPERATOR+): nothing more is published until resumed"),
  resume: action("resume", "Resume a paused rollout (OPERATOR+)"),
  cancel: action("cancel", "Cancel a rollout (OPERATOR+): targets not yet published never are; published ones stay"),
  rollback: action("rollback", "Roll a rollout back (OPERATOR+): every changed target gets its previous content as a new revision"),
});
