import { z } from "zod";
import { ZRolloutOptionsInput } from "../rollouts/schema";
import { versionedDelete, versionedRead, versionedWrite } from "../http/preconditions";
import { router, tenantProcedure } from "../trpc/trpc";
import { conditionOf, ZExpectedVersion } from "../platform/versions";
import { createQosProfile } from "./create-qos-profile";
import { deleteQosProfile } from "./delete-qos-profile";
import { getQosProfile, listQosProfiles } from "./list-qos-profiles";
import { ZCreateQosProfileInput, ZOk, ZProfile, ZProfileList, ZUpdatedProfile, ZUpdateQosProfileInput } from "./schema";
import { updateQosProfile } from "./update-qos-profile";

export const qosProfilesRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/qos-profiles", tags: ["qos-profiles"], summary: "Tenant QoS profiles with the slices that use each" } })
    .output(ZProfileList)
    .query(async ({ ctx }) => ({ items: await listQosProfiles(ctx.tenant) })),
  get: tenantProcedure
    .meta({
      openapi: { method: "GET", path: "/qos-profiles/{id}", tags: ["qos-profiles"], summary: "A QoS profile with the slices that use it", ...versionedRead },
    })
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
        description:
          "Fields left out keep their values. The members of the slices that use the profile get a new config revision when their bundle changes. Send If-Match (or `expectedVersion`) to change it only if nobody else has since you read it.",
        ...versionedWrite,
      },
    })
    .input(ZUpdateQosProfileInput.extend({ id: z.string().max(64), expectedVersion: ZExpectedVersion, rollout: ZRolloutOptionsInput.optional() }))
    .output(ZUpdatedProfile)
    .mutation(({ ctx, input }) => {
      const { tenant: _t, id, expectedVersion, rollout, ...patch } = input as typeof input & { tenant?: string };
      return updateQosProfile(ctx.tenant, id, patch, conditionOf(ctx, expectedVersion), rollout);
    }),
  delete: tenantProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/qos-profiles/{id}",
        tags: ["qos-profiles"],
        summary: "Delete a QoS profile that no slice uses (OPERATOR+); one in use is refused (409), naming the slices",
        ...versionedDelete,
      },
    })
    .input(z.object({ id: z.string().max(64), expectedVersion: ZExpectedVersion }))
    .output(ZOk)
    .mutation(({ ctx, input }) => deleteQosProfile(ctx.tenant, input.id, conditionOf(ctx, input.expectedVersion))),
});
