// Connectivity policies end to end against Postgres and Redis: validation with field
// messages, the compiled objects in each affected cluster's bundle (one revision, none
// when nothing changed), versions, audit, the preview and matrix, and REST.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, tokenCaller, type TenantFixture } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { AppError } from "../platform/errors";
import { saveSlice } from "../slices/save-slice";
import { createRequestContext } from "../trpc/context";
import { handleRest } from "../trpc/rest-handler";
import { compiledManifests, reachabilityMatrix, previewConnection } from "./preview";
import { createPolicy, deletePolicy, updatePolicy } from "./save-policy";
import { setSlicePosture } from "./set-slice-posture";

let a: TenantFixture;
type Cluster = Awaited<ReturnType<typeof makeCluster>>;
let edge: Cluster;
let cloud: Cluster;
let onprem: Cluster;
let sliceId: string;

const inventory = (workloads: Array<{ namespace: string; name: string; labels: Record<string, string> }>, anp: boolean) => ({
  adminNetworkPolicy: anp,
  namespaces: [...new Set(workloads.map((w) => w.namespace))].map((name) => ({ name, labels: { team: name === "shop" ? "retail" : "ops" } })),
  workloads: workloads.map((w) => ({ ...w, kind: "Deployment", ports: [{ name: "http", port: 8080, protocol: "TCP" }] })),
  policies: [],
});

async function bundleOf(clusterId: string) {
  const c = await db().cluster.findFirstOrThrow({ where: { id: clusterId }, select: { desiredRevision: true } });
  const r = await db().configRevision.findFirst({ where: { clusterId, revision: c.desiredRevision }, select: { revision: true, bundle: true } });
  return {
    revision: c.desiredRevision,
    manifests:
      (
        r?.bundle as {
          manifests?: Array<{ kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec: Record<string, unknown> }>;
        }
      )?.manifests ?? [],
  };
}

async function code(p: Promise<unknown>) {
  try {
    await p;
    return "OK";
  } catch (err) {
    return err instanceof AppError ? { code: err.code, message: err.message, fields: err.details?.fieldErrors } : String(err);
  }
}

beforeAll(async () => {
  a = await makeTenant("pol");
  edge = await makeCluster(a.id, { siteType: "EDGE" });
  cloud = await makeCluster(a.id, { siteType: "CLOUD" });
  onprem = await makeCluster(a.id, { siteType: "ONPREM" });
  await db().cluster.update({
    where: { id: edge.id },
    data: {
      labels: { env: "prod", region: "eu-west" },
      adminNetworkPolicy: true,
      appInventory: inventory(
        [
          { namespace: "shop", name: "web", labels: { app: "web" } },
          { namespace: "shop", name: "cart", labels: { app: "cart" } },
          { namespace: "batch", name: "etl", labels: { app: "etl" } },
        ],
        true,
      ),
    },
  });
  await db().cluster.update({
    where: { id: cloud.id },
    data: {
      labels: { env: "prod", region: "us-east" },
      adminNetworkPolicy: false,
      appInventory: inventory([{ namespace: "shop", name: "api", labels: { app: "api" } }], false),
    },
  });
  const saved = await saveSlice(tenantCtx(a), { spec: { name: `shop-${rand()}`, subnet: "10.77.0.0/16", members: [edge.name, cloud.name] } });
  sliceId = saved.id;
});

describe("policy validation", () => {
  test("a DENY whose source cluster reports no AdminNetworkPolicy support is refused, naming the cluster; nothing is saved", async () => {
    const r = await code(
      createPolicy(tenantCtx(a, "OPERATOR"), { name: "no-cloud", priority: 5, action: "DENY", from: { clusters: { names: [cloud.name] } }, to: {} }),
    );
    expect(r).toMatchObject({ code: "BAD_REQUEST", fields: { action: [expect.stringContaining(`${cloud.name} reports no AdminNetworkPolicy support`)] } });
    expect(await db().policy.count({ where: { tenantId: a.id } })).toBe(0);
  });

  test("impossible ports and bad selectors name the field", async () => {
    const ports = await code(
      createPolicy(tenantCtx(a), { name: "bad-ports", priority: 6, action: "ALLOW", from: {}, to: {}, ports: [{ protocol: "TCP", port: 9000, endPort: 80 }] }),
    );
    expect(JSON.stringify(ports)).toContain("endPort must be between port (9000) and 65535");
    const sel = await code(
      createPolicy(tenantCtx(a), { name: "bad-sel", priority: 6, action: "ALLOW", from: { clusters: { selector: "region in eu-west" } }, to: {} }),
    );
    expect(JSON.stringify(sel)).toContain("clusters.selector");
  });

  test("a VIEWER cannot write policies", async () => {
    expect(await code(createPolicy(tenantCtx(a, "VIEWER"), { name: "v", priority: 7, action: "ALLOW", from: {}, to: {} }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});

describe("compile into bundles", () => {
  let allowId = "";
  test("an ALLOW lands in the destination cluster's bundle as a NetworkPolicy carrying the policy id, letting the remote member in from its share", async () => {
    const before = await bundleOf(cloud.id);
    const res = await createPolicy(tenantCtx(a, "OPERATOR"), {
      name: "web-to-api",
      priority: 100,
      action: "ALLOW",
      from: { clusters: { selector: "env=prod,region in (eu-west,eu-central)" }, namespaces: { names: ["shop"] }, pods: "app=web" },
      to: { clusters: { names: [cloud.name, "nowhere"] }, namespaces: { names: ["shop"] }, pods: "app=api" },
      ports: [{ protocol: "TCP", port: 8080 }],
    });
    allowId = res.id;
    expect(res.warnings).toContainEqual({ field: "to.clusters.names", message: "no cluster is named nowhere (yet)" });
    expect(res.revisions[cloud.id]).toBe(before.revision + 1);
    const after = await bundleOf(cloud.id);
    const np = after.manifests.find((m) => m.metadata.labels?.["isthmus.io/policy"] === res.id)!;
    expect(np).toMatchObject({
      kind: "NetworkPolicy",
      metadata: { name: "isthmus-policy.web-to-api", namespace: "shop", labels: { "app.kubernetes.io/managed-by": "isthmus" } },
    });
    const member = await db().sliceMember.findFirstOrThrow({ where: { sliceId, clusterId: edge.id }, select: { subnet: true } });
    expect(JSON.stringify(np.spec)).toContain(member.subnet);
    const audit = await db().auditLog.findFirst({ where: { tenantId: a.id, action: "policy.create", targetId: res.id } });
    expect(audit).not.toBeNull();
  });

  test("the compiled view of a cluster sets the draft against the policy objects of the revision it applied", async () => {
    const { revision } = await bundleOf(cloud.id);
    await db().cluster.update({ where: { id: cloud.id }, data: { appliedRevision: revision } });
    const now = await compiledManifests(tenantCtx(a, "VIEWER"), { cluster: cloud.name });
    expect(now.appliedRevision).toBe(revision);
    expect(now.applied.map((m) => m.metadata.name)).toEqual(["isthmus-policy.web-to-api"]);
    const without = await compiledManifests(tenantCtx(a, "VIEWER"), { cluster: cloud.name, policies: [] });
    expect(without.manifests).toEqual([]);
    expect(without.applied).toHaveLength(1);
  });

  test("a change that compiles to the same objects publishes no revision; a stale version is 412", async () => {
    const before = await bundleOf(cloud.id);
    const p = await db().policy.findFirstOrThrow({ where: { id: allowId }, select: { version: true } });
    const res = await updatePolicy(tenantCtx(a), allowId, { description: "who may call the API" }, { expectedVersion: p.version });
    expect(res.version).toBe(p.version + 1);
    expect((await bundleOf(cloud.id)).revision).toBe(before.revision);
    expect(await code(updatePolicy(tenantCtx(a), allowId, { description: "again" }, { expectedVersion: p.version }))).toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });

  test("a DENY compiles to an AdminNetworkPolicy on the source cluster that supports it; a shadowed rule is named", async () => {
    const deny = await createPolicy(tenantCtx(a), {
      name: "no-batch",
      priority: 50,
      action: "DENY",
      from: { clusters: { names: [edge.name] }, namespaces: { names: ["batch"] } },
      to: {},
      ports: [{ protocol: "TCP", port: 5432 }],
    });
    const anp = (await bundleOf(edge.id)).manifests.find((m) => m.kind === "AdminNetworkPolicy" && m.metadata.name === "isthmus-policy.no-batch");
    expect(anp?.spec).toMatchObject({ priority: 50, egress: [{ action: "Deny", ports: [{ portNumber: { protocol: "TCP", port: 5432 } }] }] });
    const shadowed = await createPolicy(tenantCtx(a), {
      name: "no-batch-db",
      priority: 60,
      action: "DENY",
      from: { clusters: { names: [edge.name] }, namespaces: { names: ["batch"] }, pods: "app=etl" },
      to: {},
      ports: [{ protocol: "TCP", port: 5432 }],
    });
    expect(shadowed.warnings).toContainEqual({ field: "priority", message: expect.stringContaining("shadowed by policy no-batch (priority 50") });
    await deletePolicy(tenantCtx(a), shadowed.id);
    await deletePolicy(tenantCtx(a), deny.id);
    expect((await bundleOf(edge.id)).manifests.some((m) => m.kind === "AdminNetworkPolicy")).toBe(false);
  });

  test("deny-by-default drops the slice's own allow from the isolation policies", async () => {
    await saveSlice(tenantCtx(a), {
      id: sliceId,
      spec: {
        name: (await db().slice.findFirstOrThrow({ where: { id: sliceId } })).name,
        subnet: "10.77.0.0/16",
        members: [edge.name, cloud.name],
        namespaceIsolation: { enabled: true, applicationNamespaces: [{ namespace: "shop", clusters: ["*"] }] },
      },
    });
    expect((await bundleOf(cloud.id)).manifests.map((m) => m.metadata.name)).toContain(
      `isthmus-${(await db().slice.findFirstOrThrow({ where: { id: sliceId } })).name}-allow-slice`,
    );
    const res = await setSlicePosture(tenantCtx(a), sliceId, "deny-by-default");
    expect(res.revisions[cloud.id]).toBeGreaterThan(0);
    const names = (await bundleOf(cloud.id)).manifests.map((m) => m.metadata.name);
    expect(names.some((n) => n.endsWith("-allow-slice"))).toBe(false);
    expect(names.some((n) => n.endsWith("-default-deny-ingress"))).toBe(true);
  });
});

describe("preview and matrix", () => {
  test("across clusters: the ALLOW opens web → api through the slice, and names the rule; cart is not let in", async () => {
    const q = (workload: string) => ({
      query: {
        from: { cluster: edge.name, namespace: "shop", workload },
        to: { cluster: cloud.name, namespace: "shop", workload: "api" },
        protocol: "TCP" as const,
        port: 8080,
      },
    });
    const ok = await previewConnection(tenantCtx(a, "VIEWER"), q("web"));
    expect(ok).toMatchObject({ decision: "ALLOW", path: [edge.name, cloud.name] });
    expect(ok.decidedBy).toContainEqual(
      expect.objectContaining({ cluster: cloud.name, kind: "NetworkPolicy", namespace: "shop", name: "isthmus-policy.web-to-api" }),
    );
    // The destination sees the source cluster's share, not its pods: cart arrives from the same share.
    const cart = await previewConnection(tenantCtx(a, "VIEWER"), q("cart"));
    expect(cart.decision).toBe("ALLOW");
    const other = await previewConnection(tenantCtx(a, "VIEWER"), { query: { ...q("web").query, port: 9090 } });
    expect(other.decision).toBe("DENY");
    expect(other.decidedBy).toContainEqual(expect.objectContaining({ cluster: cloud.name, kind: "NetworkPolicy", verdict: "Deny" }));
    const noPath = await previewConnection(tenantCtx(a, "VIEWER"), {
      query: { from: { cluster: onprem.name, namespace: "shop" }, to: { cluster: cloud.name, namespace: "shop" }, protocol: "TCP", port: 8080 },
    });
    expect(noPath).toMatchObject({ decision: "DENY", path: [] });
  });

  test("a proposed DENY shows in the matrix diff, and an unknown workload is a field error", async () => {
    const current = (await db().policy.findMany({ where: { tenantId: a.id } })).map((p) => ({
      name: p.name,
      priority: p.priority,
      action: p.action,
      from: p.from,
      to: p.to,
      ports: p.ports,
    })) as never[];
    const proposed = [
      ...current,
      {
        name: "no-etl",
        priority: 10,
        action: "DENY" as const,
        from: { clusters: { names: [edge.name] }, namespaces: { names: ["batch"] } },
        to: { namespaces: { names: ["shop"] } },
      },
    ];
    const m = await reachabilityMatrix(tenantCtx(a, "VIEWER"), { policies: proposed, port: 8080, clusters: [edge.name], diff: true });
    expect(m.cells).toEqual([
      expect.objectContaining({
        from: { cluster: edge.name, namespace: "batch" },
        to: { cluster: edge.name, namespace: "shop" },
        decision: "DENY",
        current: "ALLOW",
        decidedBy: [expect.objectContaining({ kind: "AdminNetworkPolicy", name: "isthmus-policy.no-etl" })],
      }),
    ]);
    expect(
      await code(
        previewConnection(tenantCtx(a), {
          query: {
            from: { cluster: edge.name, namespace: "shop", workload: "ghost" },
            to: { cluster: cloud.name, namespace: "shop" },
            protocol: "TCP",
            port: 1,
          },
        }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", fields: { "query.from.workload": [expect.stringContaining("ghost")] } });
  });
});

describe("REST /api/v1/policies", () => {
  test("POST 201 with ETag; GET; PATCH with a stale If-Match is 412; DELETE", async () => {
    const { token } = await tokenCaller(a, "OPERATOR");
    const rest = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
      const headers = new Headers({ "content-type": "application/json", authorization: `Bearer ${token}`, ...extra });
      const req = new Request(`http://localhost/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return handleRest(req, { createContext: (r) => createRequestContext({ headers: r.headers, getSessionUser: async () => null }) });
    };
    const created = await rest("POST", "/policies", { name: "rest-allow", priority: 300, action: "ALLOW", from: {}, to: { namespaces: { names: ["shop"] } } });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"1"');
    const { id } = await created.json();
    expect((await (await rest("GET", "/policies")).json()).items.map((p: { name: string }) => p.name)).toContain("rest-allow");
    expect((await rest("PATCH", `/policies/${id}`, { enabled: false }, { "if-match": '"7"' })).status).toBe(412);
    const bad = await rest("POST", "/policies", { name: "rest-bad", priority: 300, action: "ALLOW", from: {}, to: {} });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("priority 300 is already policy rest-allow");
    expect((await rest("DELETE", `/policies/${id}`, undefined, { "if-match": '"1"' })).status).toBe(200);
  });
});

describe("cluster changes", () => {
  test("a relabelled cluster that stops matching a policy's selector is no longer let in at the destination", async () => {
    const { updateCluster } = await import("../clusters/update-cluster");
    // The destination keeps its NetworkPolicy (the ALLOW still names it, so it stays
    // isolated), but no rule of it lets another cluster's share in any more.
    const has = async () =>
      (await bundleOf(cloud.id)).manifests
        .filter((m) => m.metadata.name === "isthmus-policy.web-to-api")
        .flatMap((m) => (m as unknown as { spec: { ingress?: Array<{ from?: object[] }> } }).spec.ingress ?? [])
        .some((rule) => (rule.from ?? []).some((peer) => "ipBlock" in peer));
    expect(await has()).toBe(true);
    await updateCluster(tenantCtx(a), edge.id, { labels: { env: "prod", region: "ap-south" } });
    expect(await has()).toBe(false);
  });
});
