import { z } from "zod";
import { ZRolloutOptionsInput } from "../rollouts/schema";
import { ZRolloutSummary } from "../rollouts/summary";
import { DSCP_CLASSES } from "../slices/qos-rules";
import { versionedDelete, versionedRead, versionedWrite } from "../http/preconditions";
import { router, tenantProcedure } from "../trpc/trpc";
import { conditionOf, ZExpectedVersion } from "../versions";
import { createQosProfile } from "./create-qos-profile";
import { deleteQosProfile } from "./delete-qos-profile";
import { getQosProfile, listQosProfiles } from "./list-qos-profiles";
import { ZCreateQosProfileInput, ZUpdateQosProfileInput } from "./schema";
import { updateQosProfile } from "./update-qos-profile";

const ZProfile = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  priority: z.number(),
  bandwidthCeilingKbps: z.number(),
  bandwidthGuaranteedKbps: z.number(),
  dscpClass: z.enum(DSCP_CLASSES),
  /** Bumped by every change; the REST ETag. */
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The slices that use the profile. */
  slices: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const qosProfilesRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/qos-profiles", tags: ["qos-profiles"], summary: "Tenant QoS profiles with the slices that use each" } })
    .output(z.object({ items: z.array(ZProfile) }))
    .query(async ({ ctx }) => ({ items: await listQosProfiles(ctx.tenant) })),
  get: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/qos-profiles/{id}", tags: ["qos-profiles"], summary: "A QoS profile with the slices that use it", ...versionedRead } })
    .input(z.object({ id: z.string().max(64) }))
    .output(ZProfile)
    .query(({ ctx, input }) => getQosProfile(ctx.tenant, input.id)),
  create: tenantProcedure
    .meta({
      successStatus: 201,
      openapi: {
        method: "POST",
        path: "/qos-profiles",
        tags: ["qos-profiles"],
        summary: "Create a QoS profile (OPERATOR+); slices refer to it as `qosProfile: <name>`",
        description: "HTB bandwidth control: priority 0 (highest) to 7, guaranteed and ceiling rates in kbps (guaranteed ≤ ceiling), DSCP class. Answers 201.",
        successDescription: "Created (201)",
        ...versionedRead,
      },
    })
    .input(ZCreateQosProfileInput)
    .output(ZProfile)
    .mutation(({ ctx, input }) => {
      const { tenant: _t, ...data } = input as typeof input & { tenant?: string };
      return createQosProfile(ctx.tenant, data);
    }),
  update: tenantProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/qos-profiles/{id}",
        tags: ["qos-profiles"],
        summary: "Change a QoS profile (OPERATOR+); every slice using it gets the new values",
        description: "Fields left out keep their values. The members of the slices that use the profile get a new config revision when their bundle changes. Send If-Match (or `expectedVersion`) to change it only if nobody else has since you read it.",
        ...versionedWrite,
      },
    })
    .input(ZUpdateQosProfileInput.extend({ id: z.string().max(64), expectedVersion: ZExpectedVersion, rollout: ZRolloutOptionsInput.optional() }))
    .output(ZProfile.extend({ revisions: z.record(z.string(), z.number()), rollout: ZRolloutSummary }))
    .mutation(({ ctx, input }) => {
      const { tenant: _t, id, expectedVersion, rollout, ...patch } = input as typeof input & { tenant?: string };
      return updateQosProfile(ctx.tenant, id, patch, conditionOf(ctx, expectedVersion), rollout);
    }),
  delete: tenantProcedure
    .meta({ openapi: { method: "DELETE", path: "/qos-profiles/{id}", tags: ["qos-profiles"], summary: "Delete a QoS profile that no slice uses (OPERATOR+); one in use is refused (409), naming the slices", ...versionedDelete } })
    .input(z.object({ id: z.string().max(64), expectedVersion: ZExpectedVersion }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(({ ctx, input }) => deleteQosProfile(ctx.tenant, input.id, conditionOf(ctx, input.expectedVersion))),
});
