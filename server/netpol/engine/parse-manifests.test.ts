import { describe, expect, it } from "vitest";
import { parseManifests } from "./parse-manifests";
import { workloadName } from "./analyze";

const parse = (...texts: string[]) => parseManifests(texts.map((text, i) => ({ path: `f${i}.yaml`, text })));
const template = (labels: string) => `{ metadata: { labels: ${labels} }, spec: { containers: [{ name: c, ports: [{ name: http, containerPort: 80 }] }] } }`;

describe("parseManifests", () => {
  it("reads every workload kind from its pod template, in multi-document YAML, JSON and Lists", () => {
    const yaml = [
      `{ kind: Deployment, apiVersion: apps/v1, metadata: { name: d, namespace: n }, spec: { template: ${template("{ app: d }")} } }`,
      `{ kind: StatefulSet, apiVersion: apps/v1, metadata: { name: s, namespace: n }, spec: { template: ${template("{ app: s }")} } }`,
      `{ kind: DaemonSet, apiVersion: apps/v1, metadata: { name: ds, namespace: n }, spec: { template: ${template("{ app: ds }")} } }`,
      `{ kind: ReplicaSet, apiVersion: apps/v1, metadata: { name: rs, namespace: n }, spec: { template: ${template("{ app: rs }")} } }`,
      `{ kind: ReplicationController, apiVersion: v1, metadata: { name: rc, namespace: n }, spec: { template: ${template("{ app: rc }")} } }`,
      `{ kind: Job, apiVersion: batch/v1, metadata: { name: j, namespace: n }, spec: { template: ${template("{ app: j }")} } }`,
    ].join("\n---\n");
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          kind: "CronJob",
          apiVersion: "batch/v1",
          metadata: { name: "cj", namespace: "n" },
          spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: "cj" } }, spec: { containers: [] } } } } },
        },
        {
          kind: "PodList",
          apiVersion: "v1",
          items: [
            {
              kind: "Pod",
              apiVersion: "v1",
              metadata: { name: "p", labels: { app: "p" } },
              spec: { containers: [{ name: "c", ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }] }] },
            },
          ],
        },
      ],
    });
    const { inventory, warnings } = parse(yaml, json);
    expect(warnings).toEqual([]);
    expect(inventory.workloads.map(workloadName)).toEqual([
      "default/p[Pod]",
      "n/cj[CronJob]",
      "n/d[Deployment]",
      "n/ds[DaemonSet]",
      "n/j[Job]",
      "n/rc[ReplicationController]",
      "n/rs[ReplicaSet]",
      "n/s[StatefulSet]",
    ]);
    expect(inventory.workloads.find((w) => w.name === "cj")!.labels).toEqual({ app: "cj" });
    expect(inventory.workloads.find((w) => w.name === "p")!.ports).toEqual([{ name: "dns", port: 53, protocol: "UDP" }]);
    expect(inventory.workloads.find((w) => w.name === "d")!.ports).toEqual([{ name: "http", port: 80, protocol: "TCP" }]);
  });

  it("groups pods under their owning workload, through a ReplicaSet to its Deployment", () => {
    const owner = (kind: string, name: string) => `ownerReferences: [{ apiVersion: apps/v1, kind: ${kind}, name: ${name}, controller: true, uid: x }]`;
    const { inventory } = parse(
      [
        `{ kind: Deployment, apiVersion: apps/v1, metadata: { name: web, namespace: n }, spec: { template: ${template("{ app: web }")} } }`,
        `{ kind: ReplicaSet, apiVersion: apps/v1, metadata: { name: web-7d9, namespace: n, ${owner("Deployment", "web")} }, spec: { template: ${template("{ app: web }")} } }`,
        `{ kind: Pod, apiVersion: v1, metadata: { name: web-7d9-a, namespace: n, labels: { app: web }, ${owner("ReplicaSet", "web-7d9")} } }`,
        `{ kind: Pod, apiVersion: v1, metadata: { name: api-5c4-a, namespace: n, labels: { app: api }, ${owner("ReplicaSet", "api-5c4")} } }`,
        `{ kind: Pod, apiVersion: v1, metadata: { name: api-5c4-b, namespace: n, labels: { app: api }, ${owner("ReplicaSet", "api-5c4")} } }`,
      ].join("\n---\n"),
    );
    // A pod whose owner is not in the folder stands for that owner, once.
    expect(inventory.workloads.map(workloadName)).toEqual(["n/api-5c4[ReplicaSet]", "n/web[Deployment]"]);
  });

  it("warns when the pods of one owner carry different labels", () => {
    const pod = (name: string, labels: string) =>
      `{ kind: Pod, apiVersion: v1, metadata: { name: ${name}, namespace: n, labels: ${labels}, ownerReferences: [{ apiVersion: apps/v1, kind: StatefulSet, name: db, controller: true, uid: x }] } }`;
    const { inventory, warnings } = parse(
      [
        pod("db-0", "{ app: db, statefulset.kubernetes.io/pod-name: db-0 }"),
        pod("db-1", "{ app: db, statefulset.kubernetes.io/pod-name: db-1 }"),
        pod("db-2", "{ app: db, role: primary }"),
      ].join("\n---\n"),
    );
    expect(inventory.workloads.map(workloadName)).toEqual(["n/db[StatefulSet]"]);
    expect(warnings).toEqual([
      "Pod n/db-2: its labels or ports differ from those of its owner's other pods; StatefulSet n/db is analysed with the first pod's",
    ]);
  });

  it("keeps static pods (owned by their Node) as pods of their own", () => {
    const pod = (name: string) =>
      `{ kind: Pod, apiVersion: v1, metadata: { name: ${name}, namespace: kube-system, ownerReferences: [{ apiVersion: v1, kind: Node, name: node-1, controller: true, uid: x }] } }`;
    const { inventory } = parse([pod("etcd-node-1"), pod("kube-apiserver-node-1")].join("\n---\n"));
    expect(inventory.workloads.map(workloadName)).toEqual(["kube-system/etcd-node-1[Pod]", "kube-system/kube-apiserver-node-1[Pod]"]);
  });

  it("gives the items of a typed list (NamespaceList, NetworkPolicyList) the list's item kind", () => {
    const { inventory, warnings } = parse(
      "{ kind: NamespaceList, apiVersion: v1, items: [{ metadata: { name: a, labels: { x: y } } }] }",
      "{ kind: NetworkPolicyList, apiVersion: networking.k8s.io/v1, items: [{ metadata: { name: p, namespace: a }, spec: { podSelector: {} } }] }",
    );
    expect(warnings).toEqual([]);
    expect(inventory.namespaces).toEqual([{ name: "a", labels: { x: "y", "kubernetes.io/metadata.name": "a" } }]);
    expect(inventory.networkPolicies.map((p) => `${p.namespace}/${p.name}`)).toEqual(["a/p"]);
  });

  it("opens a bare JSON array of objects like a List", () => {
    const { inventory, warnings } = parseManifests([
      {
        path: "pods.json",
        text: JSON.stringify([
          { kind: "Pod", apiVersion: "v1", metadata: { name: "a" } },
          { kind: "Pod", apiVersion: "v1", metadata: { name: "b" } },
        ]),
      },
    ]);
    expect(warnings).toEqual([]);
    expect(inventory.workloads.map(workloadName)).toEqual(["default/a[Pod]", "default/b[Pod]"]);
  });

  it("gives every namespace its kubernetes.io/metadata.name label, declared or not", () => {
    const { inventory } = parse(
      `{ kind: Namespace, apiVersion: v1, metadata: { name: a, labels: { team: x } } }\n---\n{ kind: Pod, apiVersion: v1, metadata: { name: p, namespace: z } }`,
    );
    expect(inventory.namespaces).toEqual([
      { name: "a", labels: { team: "x", "kubernetes.io/metadata.name": "a" } },
      { name: "z", labels: { "kubernetes.io/metadata.name": "z" } },
    ]);
  });

  it("skips unknown kinds, documents without a kind and broken YAML, with a warning naming the file", () => {
    const { inventory, warnings } = parse(
      `{ kind: Service, apiVersion: v1, metadata: { name: s, namespace: n } }\n---\n{ just: data }\n---\n{ kind: Pod, apiVersion: v1, metadata: { name: ok } }`,
      "kind: [unclosed",
    );
    expect(inventory.workloads.map(workloadName)).toEqual(["default/ok[Pod]"]);
    expect(warnings).toEqual([
      "Service n/s (f0.yaml): kind Service is not analysed; skipped",
      "f0.yaml: document 2 has no kind; skipped",
      expect.stringMatching(/^f1\.yaml: document 1 is not valid YAML or JSON/),
    ]);
  });

  const policy = (kind: string, spec: string, name = "p", api = kind === "NetworkPolicy" ? "networking.k8s.io/v1" : "policy.networking.k8s.io/v1alpha1") =>
    `{ kind: ${kind}, apiVersion: ${api}, metadata: { name: ${name}, namespace: n }, spec: ${spec} }`;

  it.each([
    [
      "NetworkPolicy",
      "{ podSelector: {}, ingress: [{ ports: [{ port: 90, endPort: 80 }] }] }",
      "spec.ingress[0].ports[0].endPort: must be greater than or equal to port",
    ],
    [
      "NetworkPolicy",
      "{ podSelector: {}, ingress: [{ ports: [{ port: http, endPort: 80 }] }] }",
      "spec.ingress[0].ports[0].endPort: not allowed with a named port",
    ],
    ["NetworkPolicy", "{ podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }", "spec.ingress[0].ports[0].port: must be a port number 1-65535"],
    ["NetworkPolicy", "{ podSelector: {}, ingress: [{ ports: [{ protocol: ICMP }] }] }", "spec.ingress[0].ports[0].protocol: must be one of TCP, UDP, SCTP"],
    [
      "NetworkPolicy",
      "{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} }] }] }",
      "spec.egress[0].to[0]: ipBlock may not be combined with podSelector or namespaceSelector",
    ],
    [
      "NetworkPolicy",
      "{ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: 10.0.0.0/8, except: [11.0.0.0/16] } }] }] }",
      "spec.egress[0].to[0].ipBlock.except[0]: must be strictly within cidr 10.0.0.0/8",
    ],
    [
      "NetworkPolicy",
      "{ podSelector: { matchExpressions: [{ key: a, operator: Equals, values: [x] }] } }",
      "spec.podSelector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist",
    ],
    ["NetworkPolicy", "{ podSelector: {}, policyTypes: [Both] }", 'spec.policyTypes: "Both" must be Ingress or Egress'],
    ["AdminNetworkPolicy", "{ subject: { namespaces: {} } }", "spec.priority: required, a whole number 0-1000"],
    [
      "AdminNetworkPolicy",
      "{ priority: 1, subject: { namespaces: {} }, ingress: [{ action: Pass, from: [{ namespaces: { sameLabels: [env] } }] }] }",
      'spec.ingress[0].from[0].namespaces: unknown field "sameLabels" (this schema version has matchLabels, matchExpressions)',
    ],
    [
      "AdminNetworkPolicy",
      "{ priority: 1, subject: { namespaces: {} }, ingress: [{ action: Allow, from: [{ networks: [10.0.0.0/8] }] }] }",
      'spec.ingress[0].from[0]: unknown field "networks" (this schema version has namespaces, pods)',
    ],
    [
      "AdminNetworkPolicy",
      "{ priority: 1, subject: { namespaces: {} }, egress: [{ action: Allow, to: [{ domainNames: [example.com] }] }] }",
      "spec.egress[0].to[0].domainNames: names resolved by DNS cannot be evaluated offline",
    ],
    [
      "AdminNetworkPolicy",
      "{ priority: 1, subject: { namespaces: {}, pods: { namespaceSelector: {}, podSelector: {} } } }",
      "spec.subject: exactly one of namespaces, pods must be set",
    ],
    [
      "BaselineAdminNetworkPolicy",
      "{ subject: { namespaces: {} }, ingress: [{ action: Pass, from: [{ namespaces: {} }] }] }",
      "spec.ingress[0].action: must be one of Allow, Deny",
    ],
  ])("refuses an invalid %s: %s", (kind, spec, message) => {
    const name = kind === "BaselineAdminNetworkPolicy" ? "default" : "p";
    const { inventory, warnings } = parse(policy(kind, spec, name));
    expect(inventory.networkPolicies.length + inventory.adminPolicies.length + inventory.baselinePolicies.length).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`: ${message}; skipped`);
  });

  it("refuses a BaselineAdminNetworkPolicy not named default and a policy of another apiVersion", () => {
    const { warnings } = parse(
      policy("BaselineAdminNetworkPolicy", "{ subject: { namespaces: {} } }", "other"),
      policy("NetworkPolicy", "{ podSelector: {} }", "p", "extensions/v1beta1"),
    );
    expect(warnings).toEqual([
      'BaselineAdminNetworkPolicy other (f0.yaml): metadata.name: must be "default"; skipped',
      "NetworkPolicy n/p (f1.yaml): apiVersion: expected networking.k8s.io/v1, got extensions/v1beta1; skipped",
    ]);
  });

  it("warns when AdminNetworkPolicies share a priority", () => {
    const { warnings } = parse(
      policy("AdminNetworkPolicy", "{ priority: 3, subject: { namespaces: {} } }", "b"),
      policy("AdminNetworkPolicy", "{ priority: 3, subject: { namespaces: {} } }", "a"),
    );
    expect(warnings).toEqual([
      "AdminNetworkPolicies a, b share priority 3: where both match, the result depends on the implementation (evaluated here in name order)",
    ]);
  });
});
