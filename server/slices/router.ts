import { z } from "zod";
import { ZRolloutOptionsInput } from "../rollouts/schema";
import { versionedDelete, versionedRead, versionedWrite } from "../http/preconditions";
import { router, tenantProcedure } from "../trpc/trpc";
import { conditionOf, ZExpectedVersion } from "../platform/versions";
import { deleteSlice } from "./delete-slice";
import { exportSlice, importSlices } from "../kubeslice/import-export";
import { getSlice, listSliceLinks, listSlices } from "./list-slices";
import { previewSlice, suggestSliceSubnet } from "./preview-slice";
import { patchSlice, saveSlice } from "./save-slice";
import {
  ZDeletedSlice,
  ZImportResult,
  ZSaved,
  ZSliceDetail,
  ZSliceExport,
  ZSliceLinks,
  ZSliceList,
  ZSlicePreview,
  ZSliceSpecFields,
  ZSuggestedSubnet,
} from "./schema";

const ZForce = {
  force: z.boolean().optional(),
  tenant: z.string().max(40).optional(),
  rollout: ZRolloutOptionsInput.optional().describe("How this change is rolled out; the tenant's default when left out"),
};

export const slicesRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/slices", tags: ["slices"], summary: "Slices with members and convergence" } })
    .output(ZSliceList)
    .query(async ({ ctx }) => ({ items: await listSlices(ctx.tenant) })),
  get: tenantProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/slices/{id}",
        tags: ["slices"],
        summary: "A slice: spec, the QoS it runs with, members with shares and revisions, links with health",
        description:
          "`effectiveQos` is the slice's inline `qos`, or the values of the tenant QoS profile its `qosProfile` names, or null (best effort). `version` (also the ETag) is bumped by every change of the spec.",
        ...versionedRead,
      },
    })
    .input(z.object({ id: z.string() }))
    .output(ZSliceDetail)
    .query(({ ctx, input }) => getSlice(ctx.tenant, input.id)),
  links: tenantProcedure
    .meta({
      openapi: { method: "GET", path: "/slices/{id}/links", tags: ["slices"], summary: "Gateway links of a slice with roles, tunnel addresses and health" },
    })
    .input(z.object({ id: z.string() }))
    .output(ZSliceLinks)
    .query(async ({ ctx, input }) => ({ items: await listSliceLinks(ctx.tenant, input.id) })),
  create: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/slices",
        tags: ["slices"],
        summary: "Create a slice; members and topology refer to clusters by name",
        ...versionedRead,
      },
    })
    .input(ZSliceSpecFields.extend(ZForce))
    .output(ZSaved)
    .mutation(({ ctx, input }) => {
      const { tenant: _t, force, rollout, ...spec } = input;
      return saveSlice(ctx.tenant, { spec, force, rollout });
    }),
  update: tenantProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/slices/{id}",
        tags: ["slices"],
        summary: "Change a slice (subnet, maxClusters and gatewayType are immutable)",
        description:
          "Fields left out keep their values, read in the same transaction as the write, so concurrent changes of different fields all land. `qos` and `qosProfile` are alternatives: setting one drops the other, and null clears it (best effort). Send If-Match (or `expectedVersion`) to change the slice only if nobody else has since you read it.",
        ...versionedWrite,
      },
    })
    .input(ZSliceSpecFields.partial().extend({ id: z.string(), ...ZForce, expectedVersion: ZExpectedVersion }))
    .output(ZSaved)
    .mutation(({ ctx, input }) => {
      const { tenant: _t, force, id, expectedVersion, rollout, ...patch } = input;
      return patchSlice(ctx.tenant, id, patch, force, conditionOf(ctx, expectedVersion), rollout);
    }),
  delete: tenantProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/slices/{id}",
        tags: ["slices"],
        summary: "Delete a slice; its clusters get revisions without it",
        ...versionedDelete,
      },
    })
    // No `rollout` options here: a DELETE's input travels in the query string, which holds
    // no objects; a slice's deletion is rolled out with the tenant's default.
    .input(z.object({ id: z.string(), expectedVersion: ZExpectedVersion }))
    .output(ZDeletedSlice)
    .mutation(({ ctx, input }) => deleteSlice(ctx.tenant, input.id, conditionOf(ctx, input.expectedVersion))),
  preview: tenantProcedure
    .input(z.object({ id: z.string().optional(), spec: z.unknown() }))
    .output(ZSlicePreview)
    .query(({ ctx, input }) => previewSlice(ctx.tenant, input)),
  suggestSubnet: tenantProcedure
    .meta({ openapi: { method: "POST", path: "/slices/suggest-subnet", tags: ["slices"], summary: "A free private subnet for a new slice" } })
    .input(z.object({ prefix: z.number().int().min(8).max(22).default(16) }))
    .output(ZSuggestedSubnet)
    .mutation(({ ctx, input }) => suggestSliceSubnet(ctx.tenant, input.prefix)),
  import: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/slices/import",
        tags: ["slices"],
        summary: "Import KubeSlice YAML: SliceConfig documents become slices, SliceQoSConfig documents tenant QoS profiles",
        description:
          "A SliceQoSConfig whose name and values match an existing profile reuses it (`created: false`); the same name with other values fails the import. Nothing is created unless every document is valid.",
      },
    })
    .input(z.object({ yaml: z.string().min(1, "is required"), force: z.boolean().optional() }))
    .output(ZImportResult)
    .mutation(({ ctx, input }) => importSlices(ctx.tenant, input.yaml, { force: input.force })),
  export: tenantProcedure
    .input(z.object({ id: z.string(), format: z.literal("kubeslice").default("kubeslice") }))
    .output(ZSliceExport)
    .query(({ ctx, input }) => exportSlice(ctx.tenant, input.id)),
});
