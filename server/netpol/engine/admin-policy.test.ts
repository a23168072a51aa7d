// AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1,
// network-policy-api v0.1.8), tier by tier. Each case quotes the CRD text it checks.
import { describe } from "vitest";
import { ALL, NONE, anp, banp, deployment, namespace, netpol, specCases, type SpecCase } from "./test-helpers";

const BASE = [
  namespace("a", { team: "front", env: "prod" }),
  namespace("b", { team: "back", env: "prod" }),
  namespace("c", { env: "dev" }),
  deployment("a", "web", { app: "web" }, [{ name: "http", containerPort: 8080 }]),
  deployment("a", "worker", { app: "worker" }, [{ name: "http", containerPort: 8081 }]),
  deployment("b", "db", { app: "db" }, [{ name: "pg", containerPort: 5432 }]),
  deployment("b", "cache", { app: "cache" }),
  deployment("c", "web", { app: "web" }),
  deployment("c", "legacy", {}),
];

const front = { namespaces: { matchLabels: { team: "front" } } };
const dev = { namespaces: { matchLabels: { env: "dev" } } };
const anyNs = { namespaces: {} };
const dbSubject = { pods: { namespaceSelector: { matchLabels: { team: "back" } }, podSelector: { matchLabels: { app: "db" } } } };
const webSubject = { pods: { namespaceSelector: { matchLabels: { team: "front" } }, podSelector: { matchLabels: { app: "web" } } } };
const dbIngress = (name: string, priority: number, ingress: unknown[]) => anp(name, { priority, subject: dbSubject, ingress });
const dbOpen = netpol("b", "db-open", { podSelector: { matchLabels: { app: "db" } }, ingress: [{}] });
const dbFromFront = (ports?: unknown[]) =>
  netpol("b", "db-front", {
    podSelector: { matchLabels: { app: "db" } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "front" } } }], ...(ports ? { ports } : {}) }],
  });

const CASES: SpecCase[] = [
  {
    name: "an ANP Allow opens what a NetworkPolicy isolates",
    spec: "Allow: allows the selected traffic (even if it would otherwise have been denied by NetworkPolicy)",
    policies: [netpol("b", "deny", { podSelector: {} }), dbIngress("allow-front", 10, [{ action: "Allow", from: [front] }])],
    expect: [
      ["a/web", "b/db", ALL],
      ["c/web", "b/db", NONE],
      ["a/web", "b/cache", NONE],
    ],
  },
  {
    name: "an ANP Deny closes what a NetworkPolicy allows",
    spec: "All AdminNetworkPolicy rules have higher precedence than NetworkPolicy or BaselineAdminNetworkPolicy rules.",
    policies: [dbOpen, dbIngress("deny-dev", 10, [{ action: "Deny", from: [dev] }])],
    expect: [
      ["c/web", "b/db", NONE],
      ["a/web", "b/db", ALL],
      ["1.2.3.4", "b/db", ALL],
    ],
  },
  {
    name: "lower priority values are checked first",
    spec: "Policies with lower priority values have higher precedence, and are checked before policies with higher priority values.",
    policies: [
      dbIngress("p1-allow", 1, [{ action: "Allow", from: [front], ports: [{ portNumber: { port: 5432 } }] }]),
      dbIngress("p2-deny", 2, [{ action: "Deny", from: [anyNs] }]),
    ],
    expect: [
      ["a/web", "b/db", "TCP 5432"],
      ["c/web", "b/db", NONE],
      ["1.2.3.4", "b/db", ALL],
    ],
  },
  {
    name: "the same rules with priorities swapped: the Deny wins",
    spec: "Policies with lower priority values have higher precedence",
    policies: [
      dbIngress("p1-allow", 2, [{ action: "Allow", from: [front], ports: [{ portNumber: { port: 5432 } }] }]),
      dbIngress("p2-deny", 1, [{ action: "Deny", from: [anyNs] }]),
    ],
    expect: [["a/web", "b/db", NONE]],
  },
  {
    name: "within one ANP, the first matching rule wins, port by port",
    spec: "a rule that appears at the top of the ingress rules would take the highest precedence",
    policies: [
      dbIngress("ordered", 5, [
        { action: "Deny", from: [front], ports: [{ portNumber: { port: 80 } }] },
        { action: "Allow", from: [front] },
      ]),
      netpol("b", "deny", { podSelector: {} }),
    ],
    expect: [
      ["a/web", "b/db", "SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535"],
      ["c/web", "b/db", NONE],
    ],
  },
  {
    name: "Pass skips the remaining ANP rules and hands over to NetworkPolicy",
    spec: "Pass: instructs the selected traffic to skip any remaining ANP rules, and then pass execution to any NetworkPolicies that select the pod.",
    policies: [
      dbIngress("pass-front", 10, [{ action: "Pass", from: [front] }]),
      dbIngress("deny-all", 20, [{ action: "Deny", from: [anyNs] }]),
      dbFromFront([{ port: 5432 }]),
    ],
    expect: [
      ["a/web", "b/db", "TCP 5432"],
      ["c/web", "b/db", NONE],
    ],
  },
  {
    name: "Pass with no NetworkPolicy selecting the pod goes to the BaselineAdminNetworkPolicy",
    spec: "If the pod is not selected by any NetworkPolicies then execution is passed to any BaselineAdminNetworkPolicies that select the pod.",
    policies: [
      dbIngress("pass-front", 10, [{ action: "Pass", from: [front] }]),
      banp({
        subject: { namespaces: {} },
        ingress: [
          { action: "Allow", from: [front], ports: [{ portNumber: { port: 5432 } }] },
          { action: "Deny", from: [anyNs] },
        ],
      }),
    ],
    expect: [
      ["a/web", "b/db", "TCP 5432"],
      ["c/web", "b/db", NONE],
      ["c/web", "a/web", NONE],
      ["1.2.3.4", "b/db", ALL],
    ],
  },
  {
    name: "a BaselineAdminNetworkPolicy is not consulted for a pod that a NetworkPolicy isolates",
    spec: "Pass: … If the pod is not selected by any NetworkPolicies then execution is passed to any BaselineAdminNetworkPolicies",
    policies: [
      dbFromFront(),
      banp({
        subject: { namespaces: {} },
        ingress: [
          { action: "Deny", from: [front] },
          { action: "Allow", from: [dev] },
        ],
      }),
    ],
    expect: [
      ["a/web", "b/db", ALL],
      ["c/web", "b/db", NONE],
      ["a/web", "b/cache", NONE],
      ["c/web", "b/cache", ALL],
    ],
  },
  {
    name: "an ANP without rules in a direction does not affect that direction",
    spec: "ANPs with no ingress rules do not affect ingress traffic.",
    policies: [anp("egress-only", { priority: 1, subject: { namespaces: {} }, egress: [{ action: "Deny", to: [dev] }] })],
    expect: [
      ["a/web", "c/web", NONE],
      ["c/web", "a/web", ALL],
      ["a/web", "b/db", ALL],
    ],
  },
  {
    name: "a pods peer selects pods matching both selectors",
    spec: "Pods defines a way to select a set of pods in a set of namespaces.",
    policies: [
      anp("web-not-db", {
        priority: 1,
        subject: webSubject,
        egress: [{ action: "Deny", to: [{ pods: { namespaceSelector: { matchLabels: { team: "back" } }, podSelector: { matchLabels: { app: "db" } } } }] }],
      }),
    ],
    expect: [
      ["a/web", "b/db", NONE],
      ["a/web", "b/cache", ALL],
      ["a/worker", "b/db", ALL],
      ["c/web", "b/db", ALL],
    ],
  },
  {
    name: "networks select addresses outside the cluster, in rule order",
    spec: "Networks defines a way to select peers via CIDR blocks. This is intended for representing entities that live outside the cluster",
    policies: [
      anp("web-out", {
        priority: 1,
        subject: webSubject,
        egress: [
          { action: "Allow", to: [{ networks: ["10.1.0.0/16"] }], ports: [{ portNumber: { port: 443 } }] },
          { action: "Deny", to: [{ networks: ["10.0.0.0/8"] }] },
        ],
      }),
    ],
    expect: [
      ["a/web", "10.1.0.1", "TCP 443"],
      ["a/web", "10.2.0.1", NONE],
      ["a/web", "11.0.0.1", ALL],
      ["a/web", "b/db", ALL],
    ],
  },
  {
    name: "a network of 0.0.0.0/0 also matches pod-to-pod traffic",
    spec: 'So if you Allow or Deny traffic to "0.0.0.0/0", that will allow or deny all IPv4 pod-to-pod traffic as well.',
    policies: [anp("web-deny-all", { priority: 1, subject: webSubject, egress: [{ action: "Deny", to: [{ networks: ["0.0.0.0/0"] }] }] })],
    expect: [
      ["a/web", "b/db", NONE],
      ["a/web", "8.8.8.8", NONE],
      ["a/worker", "b/db", ALL],
    ],
  },
  {
    name: "a nodes peer selects node addresses, which are neither workloads nor external ranges here",
    spec: "It selects the nodeIPs as the peer type by matching on the IPs present in the node.Status.Addresses field of the node.",
    policies: [anp("no-nodes", { priority: 1, subject: webSubject, egress: [{ action: "Deny", to: [{ nodes: {} }] }] })],
    expect: [
      ["a/web", "b/db", ALL],
      ["a/web", "8.8.8.8", ALL],
    ],
  },
  {
    name: "ports: portNumber with a protocol, portRange defaulting to TCP",
    spec: "Ports allows for matching traffic based on port and protocols.",
    policies: [
      dbIngress("ports", 1, [
        { action: "Deny", from: [anyNs], ports: [{ portNumber: { protocol: "UDP", port: 53 } }, { portRange: { start: 1000, end: 2000 } }] },
      ]),
    ],
    expect: [["a/web", "b/db", "SCTP 1-65535,TCP 1-999,2001-65535,UDP 1-52,54-65535"]],
  },
  {
    name: "namedPort resolves on each destination pod",
    spec: "NamedPort selects a port on a pod(s) based on name.",
    policies: [anp("no-http", { priority: 1, subject: { namespaces: {} }, ingress: [{ action: "Deny", from: [anyNs], ports: [{ namedPort: "http" }] }] })],
    expect: [
      ["b/db", "a/web", "SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535"],
      ["b/db", "a/worker", "SCTP 1-65535,TCP 1-8080,8082-65535,UDP 1-65535"],
      ["a/web", "b/db", ALL],
    ],
  },
  {
    name: "an ANP Deny at the destination's ingress blocks what the source's egress allows",
    spec: "Deny: denies the selected traffic",
    policies: [
      anp("web-allow-out", { priority: 1, subject: webSubject, egress: [{ action: "Allow", to: [anyNs] }] }),
      dbIngress("db-deny-front", 2, [{ action: "Deny", from: [front] }]),
    ],
    expect: [
      ["a/web", "b/db", NONE],
      ["a/web", "b/cache", ALL],
    ],
  },
  {
    name: "a namespaces subject selects every pod of the matching namespaces",
    spec: "Subject defines the pods to which this AdminNetworkPolicy applies.",
    policies: [anp("prod-from-dev", { priority: 1, subject: { namespaces: { matchLabels: { env: "prod" } } }, ingress: [{ action: "Deny", from: [dev] }] })],
    expect: [
      ["c/web", "a/web", NONE],
      ["c/web", "b/db", NONE],
      ["a/web", "c/legacy", ALL],
      ["c/web", "c/legacy", ALL],
    ],
  },
  {
    name: "a BaselineAdminNetworkPolicy Deny closes traffic of non-isolated pods; the rest stays allowed by default",
    spec: "BaselineAdminNetworkPolicy … Deny: denies the selected traffic",
    policies: [banp({ subject: { namespaces: {} }, ingress: [{ action: "Deny", from: [dev], ports: [{ portNumber: { port: 22 } }] }] })],
    expect: [
      ["c/web", "a/web", "SCTP 1-65535,TCP 1-21,23-65535,UDP 1-65535"],
      ["a/web", "b/db", ALL],
    ],
  },
];

describe("AdminNetworkPolicy and BaselineAdminNetworkPolicy semantics", () => {
  specCases(BASE, CASES);
});
