import { z } from "zod";
import { versionedDelete, versionedRead, versionedWrite } from "../http/preconditions";
import { ZRolloutOptionsInput } from "../rollouts/schema";
import { router, tenantProcedure } from "../trpc/trpc";
import { conditionOf, ZExpectedVersion } from "../platform/versions";
import { getPolicy, listPolicies } from "./list-policies";
import { compiledManifests, previewConnection, reachabilityMatrix, ZMatrixInput, ZPreviewInput } from "./preview";
import { checkPolicy, createPolicy, deletePolicy, updatePolicy } from "./save-policy";
import {
  ZCompiledPolicies,
  ZConnectionVerdict,
  ZDeletedPolicy,
  ZPolicy,
  ZPolicyCheck,
  ZPolicyInput,
  ZPolicyList,
  ZReachabilityMatrix,
  ZSlicePosture,
  ZSlicePostureSet,
  ZUpdatePolicyInput,
  ZWritten,
} from "./schema";
import { setSlicePosture } from "./set-slice-posture";

/** The tenant slug the procedure base reads (strict inputs must name it to accept it). */
const T = { tenant: z.string().max(40).optional() };
const strip = <T extends object>(input: T) => {
  const { tenant: _t, ...rest } = input as T & { tenant?: string };
  return rest;
};

export const policiesRouter = router({
  list: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/policies", tags: ["policies"], summary: "Connectivity policies in evaluation order (lower priority first)" } })
    .output(ZPolicyList)
    .query(async ({ ctx }) => ({ items: await listPolicies(ctx.tenant) })),
  get: tenantProcedure
    .meta({ openapi: { method: "GET", path: "/policies/{id}", tags: ["policies"], summary: "A connectivity policy", ...versionedRead } })
    .input(z.object({ id: z.string().max(64) }))
    .output(ZPolicy)
    .query(({ ctx, input }) => getPolicy(ctx.tenant, input.id)),
  create: tenantProcedure
    .meta({
      successStatus: 201,
      openapi: {
        method: "POST",
        path: "/policies",
        tags: ["policies"],
        summary: "Create a connectivity policy (OPERATOR+); every cluster it touches gets a new bundle",
        description:
          "Selectors: `clusters` (names, label `selector` such as `env=prod,region in (eu-west,eu-central)`, `siteTypes`), `namespaces` (names or label selector), `pods` (label selector). Priorities are unique; lower wins. ALLOW compiles to NetworkPolicy at the destination, DENY to AdminNetworkPolicy at each source (which must report support). Answers 201 with `warnings` (unknown clusters or namespaces, shadowed rules, traffic no slice carries).",
        successDescription: "Created (201)",
        ...versionedRead,
      },
    })
    .input(ZPolicyInput.extend({ ...T, rollout: ZRolloutOptionsInput.optional() }))
    .output(ZWritten)
    .mutation(({ ctx, input }) => {
      const { rollout, ...spec } = strip(input);
      return createPolicy(ctx.tenant, spec, rollout);
    }),
  update: tenantProcedure
    .meta({
      openapi: {
        method: "PATCH",
        path: "/policies/{id}",
        tags: ["policies"],
        summary: "Change a connectivity policy (OPERATOR+); fields left out keep their values",
        ...versionedWrite,
      },
    })
    .input(ZUpdatePolicyInput.extend({ ...T, id: z.string().max(64), expectedVersion: ZExpectedVersion, rollout: ZRolloutOptionsInput.optional() }))
    .output(ZWritten)
    .mutation(({ ctx, input }) => {
      const { id, expectedVersion, rollout, ...patch } = strip(input);
      return updatePolicy(ctx.tenant, id, patch, conditionOf(ctx, expectedVersion), rollout);
    }),
  delete: tenantProcedure
    .meta({
      openapi: { method: "DELETE", path: "/policies/{id}", tags: ["policies"], summary: "Delete a connectivity policy (OPERATOR+)", ...versionedDelete },
    })
    .input(z.object({ id: z.string().max(64), expectedVersion: ZExpectedVersion }))
    .output(ZDeletedPolicy)
    .mutation(({ ctx, input }) => deletePolicy(ctx.tenant, input.id, conditionOf(ctx, input.expectedVersion))),
  check: tenantProcedure
    .meta({
      openapi: { method: "POST", path: "/policies/check", tags: ["policies"], summary: "Validate a policy without saving it: errors and warnings by field" },
    })
    .input(ZPolicyInput.extend({ ...T, id: z.string().max(64).optional() }))
    .output(ZPolicyCheck)
    .mutation(({ ctx, input }) => checkPolicy(ctx.tenant, strip(input))),
  preview: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/policies/preview",
        tags: ["policies"],
        summary: "Would this connection be allowed? Evaluated over the compiled objects plus each cluster's own, with the deciding rules",
        description:
          "`policies` is a proposed set replacing the current one (omitted: the current policies). Across clusters: source egress towards the destination's slice share, destination ingress from the source's share, and a slice path.",
      },
    })
    .input(ZPreviewInput.extend(T))
    .output(ZConnectionVerdict)
    .mutation(({ ctx, input }) => previewConnection(ctx.tenant, strip(input))),
  matrix: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/policies/matrix",
        tags: ["policies"],
        summary: "Reachability between every (cluster, namespace) pair on one port; `diff: true` gives only the cells a proposed set changes",
      },
    })
    .input(ZMatrixInput.extend(T))
    .output(ZReachabilityMatrix)
    .mutation(({ ctx, input }) => reachabilityMatrix(ctx.tenant, strip(input))),
  compiled: tenantProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/policies/compiled",
        tags: ["policies"],
        summary: "The objects one cluster gets for the current (or a proposed) policy set, what it applied last, and what cannot be compiled there",
      },
    })
    .input(z.object({ ...T, cluster: z.string().max(63), policies: z.array(ZPolicyInput).max(500).optional() }).strict())
    .output(ZCompiledPolicies)
    .mutation(({ ctx, input }) => compiledManifests(ctx.tenant, strip(input))),
  setSlicePosture: tenantProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/slices/{sliceId}/posture",
        tags: ["policies"],
        summary: "A slice's default posture (OPERATOR+): allow-within-slice or deny-by-default",
        ...versionedWrite,
      },
    })
    .input(z.object({ sliceId: z.string().max(64), posture: ZSlicePosture, expectedVersion: ZExpectedVersion, rollout: ZRolloutOptionsInput.optional() }))
    .output(ZSlicePostureSet)
    .mutation(({ ctx, input }) => setSlicePosture(ctx.tenant, input.sliceId, input.posture, conditionOf(ctx, input.expectedVersion), input.rollout)),
});
