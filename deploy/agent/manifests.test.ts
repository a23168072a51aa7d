// The agent's install manifests: valid against the upstream Kubernetes schemas, least
// privilege in RBAC, runnable under OpenShift's restricted SCC, and an image built from
// a lockfile that pins what the repository tests.
import { compilePolicies } from "../../server/netpol/compile";
import { ZEndpointSelector } from "../../server/netpol/rules";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { compileIsolationManifests, validateUpstream } from "../../server/bundles/manifests";

const DIR = import.meta.dirname;
type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[] };
type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  rules?: Rule[];
  roleRef?: { kind: string; name: string };
  [k: string]: unknown;
};

const docs: Array<{ file: string; obj: Obj }> = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .flatMap((file) => parseAllDocuments(readFileSync(path.join(DIR, file), "utf8")).map((d) => ({ file, obj: d.toJS() as Obj })));
const ofKind = (kind: string) => docs.filter((d) => d.obj.kind === kind).map((d) => d.obj);
const WRITE = ["create", "update", "patch", "delete", "deletecollection", "*"];

describe("deploy/agent manifests", () => {
  test("every object validates against the upstream Kubernetes schema (unknown fields refused)", () => {
    expect(docs.length).toBeGreaterThanOrEqual(10);
    for (const { file, obj } of docs) expect(validateUpstream(obj), `${file}: ${obj.kind}/${obj.metadata?.name}`).toEqual({ valid: true, errors: [] });
  });

  test("the validator does refuse a wrong manifest, so the test above means something", () => {
    const dep = structuredClone(ofKind("Deployment")[0]!) as unknown as { spec: { template: { spec: Record<string, unknown> } } };
    dep.spec.template.spec.serviceAcount = "typo";
    expect(validateUpstream(dep).errors.join()).toMatch(/serviceAcount/);
  });

  test("RBAC: no cluster-wide write on namespaces beyond create, no wildcards", () => {
    for (const role of [...ofKind("ClusterRole"), ...ofKind("Role")]) {
      for (const r of role.rules ?? []) {
        expect([...(r.apiGroups ?? []), ...(r.resources ?? []), ...r.verbs]).not.toContain("*");
        if (r.resources?.includes("namespaces")) expect(r.verbs.filter((v) => WRITE.includes(v))).toEqual(["create"]);
      }
    }
  });

  test("RBAC: NetworkPolicy writes only through a RoleBinding in the namespaces Isthmus manages", () => {
    const clusterBound = new Set(ofKind("ClusterRoleBinding").map((b) => b.roleRef?.name));
    for (const role of ofKind("ClusterRole")) {
      const writesPolicies = (role.rules ?? []).some((r) => r.resources?.includes("networkpolicies") && r.verbs.some((v) => WRITE.includes(v)));
      if (writesPolicies) expect(clusterBound.has(role.metadata.name), `${role.metadata.name} must not be bound cluster-wide`).toBe(false);
    }
    const bindings = ofKind("RoleBinding").filter((b) => b.roleRef?.name === "isthmus-agent-policies");
    expect(bindings.length).toBeGreaterThan(0);
    expect(bindings.every((b) => b.metadata.namespace && b.metadata.namespace !== "isthmus-system")).toBe(true);
  });

  test("RBAC: writes exactly on the kinds the compilers emit (NetworkPolicy; AdminNetworkPolicy for a DENY policy)", () => {
    const self = { id: "c", name: "c", labels: {}, siteType: "CLOUD" as const, adminNetworkPolicy: true };
    const deny = {
      id: "pol_x",
      name: "x",
      enabled: true,
      priority: 1,
      action: "DENY" as const,
      sliceId: null,
      from: ZEndpointSelector.parse({}),
      to: ZEndpointSelector.parse({}),
      ports: [],
    };
    const emitted = [
      ...compileIsolationManifests(
        {
          name: "s",
          subnet: "10.0.0.0/16",
          namespaceIsolation: { enabled: true, applicationNamespaces: [{ namespace: "a", clusters: ["*"] }], allowedNamespaces: [] },
        },
        "c",
      ),
      ...compilePolicies({ self, namespaces: [{ name: "a", labels: {} }], slices: [], policies: [deny] }).objects,
    ];
    const emittedGroups = new Set(emitted.map((m) => `${m.apiVersion.split("/")[0]}/${m.kind.toLowerCase().replace(/y$/, "ie")}s`));
    const writable = new Set<string>();
    for (const role of ofKind("ClusterRole")) {
      for (const r of role.rules ?? []) {
        if (!r.verbs.some((v) => WRITE.includes(v))) continue;
        for (const g of r.apiGroups ?? []) for (const res of r.resources ?? []) if (res !== "namespaces") writable.add(`${g}/${res}`);
      }
    }
    expect([...writable].sort()).toEqual([...emittedGroups].sort());
    expect(writable.has("policy.networking.k8s.io/baselineadminnetworkpolicies")).toBe(false);
  });

  test("the state Secret and the Lease: only the agent's own objects beyond create", () => {
    const state = ofKind("Role").find((r) => r.metadata.name === "isthmus-agent-state")!;
    const rules = state.rules ?? [];
    for (const r of rules) {
      if (r.verbs.includes("create")) expect(r.verbs).toEqual(["create"]);
      else expect(r.resourceNames?.length).toBe(1);
    }
    expect(rules.some((r) => r.resources?.includes("leases") && r.verbs.includes("update"))).toBe(true);
  });

  test("Deployment: no fixed UID, GID or fsGroup (OpenShift restricted SCC), non-root, the pod name for the Lease", () => {
    const dep = ofKind("Deployment")[0] as unknown as {
      spec: {
        template: {
          spec: { securityContext: Record<string, unknown>; containers: Array<{ securityContext: Record<string, unknown>; env: Array<{ name: string }> }> };
        };
      };
    };
    const pod = dep.spec.template.spec;
    for (const sc of [pod.securityContext, ...pod.containers.map((c) => c.securityContext ?? {})]) {
      expect(sc).not.toHaveProperty("runAsUser");
      expect(sc).not.toHaveProperty("runAsGroup");
      expect(sc).not.toHaveProperty("fsGroup");
    }
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.containers[0]!.env.map((e) => e.name)).toContain("POD_NAME");
  });
});

describe("agent image", () => {
  const root = path.resolve(DIR, "../..");
  const rootPkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
  const rootLock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")).packages as Record<string, { version: string; integrity?: string }>;
  const pkg = JSON.parse(readFileSync(path.join(DIR, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(path.join(DIR, "package-lock.json"), "utf8")).packages as Record<string, { version: string; integrity?: string }>;

  test("its lockfile is the repository's, pruned: same versions and integrity for every package", () => {
    for (const [name, version] of Object.entries(pkg.dependencies as Record<string, string>)) expect(version, name).toBe(rootPkg.dependencies[name]);
    const entries = Object.entries(lock).filter(([k]) => k !== "");
    expect(entries.length).toBeGreaterThan(10);
    for (const [k, v] of entries)
      expect({ k, version: v.version, integrity: v.integrity }).toEqual({ k, version: rootLock[k]?.version, integrity: rootLock[k]?.integrity });
    expect(pkg.engines.node).toBe(rootPkg.engines.node);
  });

  test("builds on Node 24 from that lockfile with npm ci, and no Node 20 shim is left", () => {
    const dockerfile = readFileSync(path.join(DIR, "Dockerfile"), "utf8");
    const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(froms.every((f) => /^node:24(-|$)/.test(f!))).toBe(true);
    expect(dockerfile).toMatch(/COPY deploy\/agent\/package\.json deploy\/agent\/package-lock\.json/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(readdirSync(path.join(root, "agent/targets"))).not.toContain("node20-shim.ts");
  });
});
