// Authorisation cases for every procedure of the root router. The matrix test fails
// when a procedure has no case here, so each new procedure must say who may call it.
import { createApiToken } from "../server/api-tokens/api-tokens";
import type { Role } from "../server/platform/roles";
import { inviteMember } from "../server/members/invite-member";
import { db } from "../server/platform/db/client";
import { saveSlice } from "../server/slices/save-slice";
import { createQosProfile } from "../server/qos-profiles/create-qos-profile";
import { createPolicy } from "../server/policies/save-policy";
import { createRegistrationToken } from "../server/registration-tokens/create-registration-token";
import { makeCluster } from "./clusters";
import { makeUser, rand, tenantCtx, type TenantFixture } from "./fixtures";

// Slice subnets from 10.10–10.99, clear of the pod ranges test clusters get (10.100+).
let subnetCounter = 0;
const nextSubnet = () => `10.${10 + (subnetCounter++ % 90)}.0.0/16`;

/** A slice of tenant A over two fresh clusters. */
async function freshSlice(a: TenantFixture) {
  const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
  const saved = await saveSlice(tenantCtx(a), { spec: { name: `s-${rand()}`, subnet: nextSubnet(), members: [x.name, y.name] } });
  return { id: saved.id, clusters: [x.name, y.name] };
}

/** A QoS profile of tenant A that no slice uses (so deleting it is allowed). */
async function freshQosProfile(a: TenantFixture) {
  return (
    await createQosProfile(tenantCtx(a), { name: `q-${rand()}`, priority: 1, bandwidthCeilingKbps: 2048, bandwidthGuaranteedKbps: 1024, dscpClass: "AF21" })
  ).id;
}

/** A cluster of tenant A with one published revision. */
async function freshCluster(a: TenantFixture) {
  const c = await makeCluster(a.id);
  await db().configRevision.create({
    data: {
      tenantId: a.id,
      clusterId: c.id,
      revision: 1,
      hash: "h",
      bundle: { cluster: { id: c.id, name: c.name, tenant: a.slug }, slices: [], manifests: [] },
    },
  });
  await db().cluster.update({ where: { id: c.id }, data: { desiredRevision: 1 } });
  return c.id;
}

/** A rollout of tenant A in the given status, over one fresh cluster. */
async function freshRollout(a: TenantFixture, status: string) {
  const c = await makeCluster(a.id);
  const r = await db().rollout.create({
    data: {
      tenantId: a.id,
      status,
      strategy: "ALL_AT_ONCE",
      reason: "matrix",
      actorType: "SYSTEM",
      startedAt: new Date(),
      options: { strategy: "ALL_AT_ONCE", canary: 10, batchSize: null, maxConcurrent: null, deadlineSeconds: 600, soakSeconds: 0 },
    },
  });
  // As a started rollout's targets are: the bundle to deliver is computed when it starts.
  const bundle = { slices: [], links: [], manifests: [] };
  await db().rolloutTarget.create({
    data: { tenantId: a.id, rolloutId: r.id, clusterId: c.id, clusterName: c.name, state: "PENDING", bundle, hash: `matrix-${rand()}` },
  });
  return r.id;
}

/** A connectivity policy of tenant A (priorities are unique per tenant). */
let policyPriority = 0;
async function freshPolicy(a: TenantFixture) {
  return (
    await createPolicy(tenantCtx(a), {
      name: `p-${rand()}`,
      priority: policyPriority++ % 1000,
      action: "ALLOW",
      from: {},
      to: { namespaces: { names: ["shop"] } },
    })
  ).id;
}

/** An alert rule of tenant A. */
async function freshRule(a: TenantFixture) {
  return (await db().alertRule.create({ data: { tenantId: a.id, name: `r-${rand()}`, kind: "LINK_DOWN", forSeconds: 60 } })).id;
}

/** An OPEN alert of tenant A. */
async function freshAlert(a: TenantFixture) {
  const ruleId = await freshRule(a);
  return (
    await db().alert.create({
      data: { tenantId: a.id, ruleId, subjectType: "cluster", subjectId: `c-${rand()}`, subjectName: "victim-site", message: "matrix", evidence: {} },
    })
  ).id;
}

/** A webhook of tenant A (its secret is never needed here: nothing is delivered). */
async function freshWebhook(a: TenantFixture) {
  return (await db().webhook.create({ data: { tenantId: a.id, name: `w-${rand()}`, url: "https://hooks.example.test/victim", secretEnc: "v1.x.x.x" } })).id;
}

/** A fresh OPERATOR of tenant A, so cases that change or remove a member never share one. */
async function freshMember(a: TenantFixture) {
  const u = await makeUser("matrix-member");
  await db().membership.create({ data: { tenantId: a.id, userId: u.id, role: "OPERATOR" } });
  return u.id;
}

export interface MatrixFixture {
  /** The victim tenant whose objects the attackers aim at. */
  a: TenantFixture;
}

export type AuthzCase =
  | { access: "public" }
  /** Signed-in people only (API tokens are refused). */
  | { access: "user"; input: () => unknown }
  /** A signed-in user or any API token, not tied to a tenant. */
  | { access: "authed"; input: () => unknown }
  | {
      access: "tenant";
      /** The lowest role that may call it. */
      minRole: Role;
      /** Input aimed at tenant A's objects, without the `tenant` field. */
      input: (fx: MatrixFixture) => Promise<Record<string, unknown>> | Record<string, unknown>;
      /** True when the input names one of A's objects (so B in its own scope must get NOT_FOUND). */
      targetsObject?: boolean;
    };

export const authzCases: Record<string, AuthzCase> = {
  "me.get": { access: "authed", input: () => undefined },
  "me.signOutEverywhere": { access: "user", input: () => undefined },
  "tenants.create": { access: "user", input: () => ({ slug: `m-${rand()}`, name: "Matrix" }) },
  "invites.describe": { access: "public" },
  "invites.accept": { access: "public" },

  "members.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "members.invites": { access: "tenant", minRole: "ADMIN", input: () => ({}) },
  "members.invite": { access: "tenant", minRole: "ADMIN", input: () => ({ email: `m-${rand()}@example.test`, role: "VIEWER" }) },
  "members.revokeInvite": {
    access: "tenant",
    minRole: "ADMIN",
    targetsObject: true,
    input: async ({ a }) => ({ id: (await inviteMember(tenantCtx(a), { email: `m-${rand()}@example.test`, role: "VIEWER" })).id }),
  },
  "members.updateRole": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ userId: await freshMember(a), role: "VIEWER" }) },
  "members.remove": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ userId: await freshMember(a) }) },

  "apiTokens.list": { access: "tenant", minRole: "ADMIN", input: () => ({}) },
  "apiTokens.create": { access: "tenant", minRole: "ADMIN", input: () => ({ name: `m-${rand()}`, role: "VIEWER" }) },
  "apiTokens.revoke": {
    access: "tenant",
    minRole: "ADMIN",
    targetsObject: true,
    input: async ({ a }) => ({ id: (await createApiToken(tenantCtx(a), { name: "victim", role: "VIEWER" })).id }),
  },

  "audit.list": { access: "tenant", minRole: "ADMIN", input: () => ({}) },

  "overview.fleet": { access: "tenant", minRole: "VIEWER", input: () => ({}) },

  "gateways.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "gateways.sites": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "gateways.mapLinks": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "gateways.series": {
    access: "tenant",
    minRole: "VIEWER",
    targetsObject: true,
    input: async ({ a }) => ({
      id: (await db().gatewayLink.findFirstOrThrow({ where: { sliceId: (await freshSlice(a)).id } })).id,
      from: new Date(Date.now() - 3_600_000).toISOString(),
    }),
  },
  "gateways.sliceConvergence": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: (await freshSlice(a)).id }) },

  "alerts.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "alerts.acknowledge": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshAlert(a) }) },
  "alerts.rules": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "alerts.createRule": { access: "tenant", minRole: "ADMIN", input: () => ({ name: `r-${rand()}`, kind: "LINK_DOWN", forSeconds: 60 }) },
  "alerts.updateRule": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ id: await freshRule(a), forSeconds: 120 }) },
  "alerts.deleteRule": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ id: await freshRule(a) }) },
  "alerts.webhooks": { access: "tenant", minRole: "ADMIN", input: () => ({}) },
  "alerts.createWebhook": { access: "tenant", minRole: "ADMIN", input: () => ({ name: `w-${rand()}`, url: "https://hooks.example.test/isthmus" }) },
  "alerts.deleteWebhook": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ id: await freshWebhook(a) }) },
  "alerts.testWebhook": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ id: await freshWebhook(a) }) },
  "alerts.deliveries": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ id: await freshWebhook(a) }) },

  "slices.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "slices.get": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: (await freshSlice(a)).id }) },
  "slices.links": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: (await freshSlice(a)).id }) },
  "slices.export": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: (await freshSlice(a)).id }) },
  "slices.create": {
    access: "tenant",
    minRole: "OPERATOR",
    input: async ({ a }) => {
      const [x, y] = [await makeCluster(a.id), await makeCluster(a.id)];
      return { name: `s-${rand()}`, subnet: nextSubnet(), members: [x.name, y.name] };
    },
  },
  "slices.update": {
    access: "tenant",
    minRole: "OPERATOR",
    targetsObject: true,
    input: async ({ a }) => ({ id: (await freshSlice(a)).id, description: "changed" }),
  },
  "slices.delete": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: (await freshSlice(a)).id }) },
  "slices.preview": { access: "tenant", minRole: "VIEWER", input: () => ({ spec: { name: "pv", subnet: "10.99.0.0/16", members: [] } }) },
  "slices.suggestSubnet": { access: "tenant", minRole: "VIEWER", input: () => ({ prefix: 16 }) },
  "slices.import": {
    access: "tenant",
    minRole: "OPERATOR",
    input: () => ({
      yaml: `apiVersion: controller.kubeslice.io/v1alpha1\nkind: SliceConfig\nmetadata: {name: imp-${rand()}}\nspec: {sliceSubnet: ${nextSubnet()}, clusters: []}\n`,
    }),
  },

  "qosProfiles.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "qosProfiles.get": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: await freshQosProfile(a) }) },
  "qosProfiles.create": {
    access: "tenant",
    minRole: "OPERATOR",
    input: () => ({ name: `q-${rand()}`, priority: 2, bandwidthCeilingKbps: 4096, bandwidthGuaranteedKbps: 512, dscpClass: "EF" }),
  },
  "qosProfiles.update": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshQosProfile(a), priority: 5 }) },
  "qosProfiles.delete": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshQosProfile(a) }) },

  "registrationTokens.list": { access: "tenant", minRole: "ADMIN", input: () => ({}) },
  "registrationTokens.create": { access: "tenant", minRole: "ADMIN", input: () => ({ name: `m-${rand()}` }) },
  "registrationTokens.revoke": {
    access: "tenant",
    minRole: "ADMIN",
    targetsObject: true,
    input: async ({ a }) => ({ id: (await createRegistrationToken(tenantCtx(a), { name: "victim" })).id }),
  },

  "clusters.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "clusters.get": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: await freshCluster(a) }) },
  "clusters.events": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: await freshCluster(a) }) },
  "clusters.revision": {
    access: "tenant",
    minRole: "VIEWER",
    targetsObject: true,
    input: async ({ a }) => ({ id: await freshCluster(a), revision: "latest" }),
  },
  "clusters.update": {
    access: "tenant",
    minRole: "OPERATOR",
    targetsObject: true,
    input: async ({ a }) => ({ id: await freshCluster(a), labels: { touched: "yes" } }),
  },
  "clusters.delete": { access: "tenant", minRole: "ADMIN", targetsObject: true, input: async ({ a }) => ({ id: await freshCluster(a) }) },

  "rollouts.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "rollouts.defaults": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "rollouts.plan": { access: "tenant", minRole: "VIEWER", input: () => ({ clusters: ["nope"] }) },
  "rollouts.setDefaults": { access: "tenant", minRole: "ADMIN", input: () => ({ strategy: "ALL_AT_ONCE", deadlineSeconds: 600 }) },
  "rollouts.get": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: await freshRollout(a, "DONE") }) },
  "rollouts.pause": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshRollout(a, "RUNNING") }) },
  "rollouts.resume": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshRollout(a, "PAUSED") }) },
  "rollouts.cancel": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshRollout(a, "RUNNING") }) },
  "rollouts.rollback": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshRollout(a, "RUNNING") }) },

  "policies.list": { access: "tenant", minRole: "VIEWER", input: () => ({}) },
  "policies.get": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ id: await freshPolicy(a) }) },
  "policies.create": {
    access: "tenant",
    minRole: "OPERATOR",
    input: () => ({ name: `p-${rand()}`, priority: 500 + (policyPriority++ % 499), action: "ALLOW", from: {}, to: {} }),
  },
  "policies.update": {
    access: "tenant",
    minRole: "OPERATOR",
    targetsObject: true,
    input: async ({ a }) => ({ id: await freshPolicy(a), description: "changed" }),
  },
  "policies.delete": { access: "tenant", minRole: "OPERATOR", targetsObject: true, input: async ({ a }) => ({ id: await freshPolicy(a) }) },
  "policies.check": { access: "tenant", minRole: "VIEWER", input: () => ({ name: "probe", priority: 999, action: "ALLOW", from: {}, to: {} }) },
  "policies.preview": {
    access: "tenant",
    minRole: "VIEWER",
    input: async ({ a }) => {
      const c = await makeCluster(a.id);
      return { policies: [], query: { from: { cluster: c.name, namespace: "a" }, to: { cluster: c.name, namespace: "b" }, protocol: "TCP", port: 80 } };
    },
  },
  "policies.matrix": { access: "tenant", minRole: "VIEWER", input: () => ({ port: 80, namespaces: ["none"] }) },
  "policies.compiled": { access: "tenant", minRole: "VIEWER", targetsObject: true, input: async ({ a }) => ({ cluster: (await makeCluster(a.id)).name }) },
  "policies.setSlicePosture": {
    access: "tenant",
    minRole: "OPERATOR",
    targetsObject: true,
    input: async ({ a }) => ({ sliceId: (await freshSlice(a)).id, posture: "deny-by-default" }),
  },
};
