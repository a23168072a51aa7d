// NetworkPolicy (networking.k8s.io/v1), rule by rule. Each case quotes the API
// reference text (the OpenAPI descriptions in schemas/upstream/kubernetes) it checks,
// and states the expected connection set in netpol-analyzer's notation.
import { describe } from "vitest";
import { ALL, NONE, deployment, namespace, netpol, specCases, type SpecCase } from "./test-helpers";

// Three namespaces, six workloads. "http" is a named port with a different number on
// each workload that has it, so named ports must resolve per destination.
const BASE = [
  namespace("a", { team: "front", env: "prod" }),
  namespace("b", { team: "back", env: "prod" }),
  namespace("c", { env: "dev" }),
  deployment("a", "web", { app: "web", tier: "front" }, [
    { name: "http", containerPort: 8080 },
    { name: "metrics", containerPort: 9090 },
  ]),
  deployment("a", "worker", { app: "worker" }, [{ name: "http", containerPort: 8081 }]),
  deployment("b", "db", { app: "db", tier: "back" }, [
    { name: "pg", containerPort: 5432 },
    { name: "http", containerPort: 8082 },
  ]),
  deployment("b", "cache", { app: "cache" }, [
    { name: "redis", containerPort: 6379 },
    { name: "dns", containerPort: 53, protocol: "UDP" },
  ]),
  deployment("c", "web", { app: "web" }, [{ name: "http", containerPort: 8080 }]),
  deployment("c", "legacy", {}),
];

const onDb = (spec: Record<string, unknown>) => netpol("b", "db-policy", { podSelector: { matchLabels: { app: "db" } }, ...spec });

const CASES: SpecCase[] = [
  {
    name: "no policy: every pod accepts and sends everything",
    spec: "Traffic is allowed to a pod if there are no NetworkPolicies selecting the pod",
    policies: [],
    expect: [
      ["a/web", "b/db", ALL],
      ["1.2.3.4", "a/web", ALL],
      ["a/web", "8.8.8.8", ALL],
    ],
  },
  {
    name: "a policy without ingress rules isolates its pods for ingress only",
    spec: "If this field is empty then this NetworkPolicy does not allow any traffic (and serves solely to ensure that the pods it selects are isolated by default)",
    policies: [onDb({})],
    expect: [
      ["a/web", "b/db", NONE],
      ["1.2.3.4", "b/db", NONE],
      ["b/db", "a/web", ALL],
      ["b/db", "8.8.8.8", ALL],
      ["a/web", "b/cache", ALL],
    ],
  },
  {
    name: "without policyTypes, an egress section makes the policy affect egress and ingress",
    spec: "policies that contain an egress section are assumed to affect egress, and all policies (whether or not they contain an ingress section) are assumed to affect ingress",
    policies: [netpol("a", "web-dns", { podSelector: { matchLabels: { app: "web" } }, egress: [{ ports: [{ protocol: "UDP", port: 53 }] }] })],
    expect: [
      ["a/web", "b/db", "UDP 53"],
      ["a/web", "8.8.8.8", "UDP 53"],
      ["b/db", "a/web", NONE],
      ["a/worker", "b/db", ALL],
    ],
  },
  {
    name: "policyTypes [Egress] without egress rules denies all egress and leaves ingress open",
    spec: 'if you want to write a policy that specifies that no egress is allowed, you must specify a policyTypes value that include "Egress"',
    policies: [netpol("a", "web-no-egress", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"] })],
    expect: [
      ["a/web", "b/db", NONE],
      ["a/web", "8.8.8.8", NONE],
      ["b/db", "a/web", ALL],
      ["1.2.3.4", "a/web", ALL],
    ],
  },
  {
    name: "policyTypes [Egress] ignores ingress rules: the pods stay non-isolated for ingress",
    spec: "policyTypes is a list of rule types that the NetworkPolicy relates to",
    policies: [
      netpol("a", "egress-only", {
        podSelector: { matchLabels: { app: "web" } },
        policyTypes: ["Egress"],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "nothing" } } }] }],
        egress: [{}],
      }),
    ],
    expect: [
      ["b/db", "a/web", ALL],
      ["a/web", "b/db", ALL],
    ],
  },
  {
    name: "policies selecting the same pod combine additively",
    spec: "Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively.",
    policies: [
      onDb({
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "front" } }, podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 5432 }] }],
      }),
      netpol("b", "db-http", {
        podSelector: { matchLabels: { app: "db" } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "front" } }, podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 8082 }] }],
      }),
    ],
    expect: [
      ["a/web", "b/db", "TCP 5432,8082"],
      ["a/worker", "b/db", NONE],
    ],
  },
  {
    name: "a connection needs the source's egress and the destination's ingress",
    spec: "Outgoing traffic is allowed if … the traffic matches at least one egress rule … Traffic is allowed to a pod if … the traffic matches at least one ingress rule",
    policies: [
      netpol("a", "web-out", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ ports: [{ port: 5000, endPort: 6000 }] }] }),
      onDb({ ingress: [{ ports: [{ port: 5432, endPort: 5440 }, { port: 7000 }] }] }),
    ],
    expect: [
      ["a/web", "b/db", "TCP 5432-5440"],
      ["a/worker", "b/db", "TCP 5432-5440,7000"],
      ["a/web", "b/cache", "TCP 5000-6000"],
    ],
  },
  {
    name: "an absent from matches every source, in and outside the cluster",
    spec: "If this field is empty or missing, this rule matches all sources (traffic not restricted by source).",
    policies: [onDb({ ingress: [{ ports: [{ port: 5432 }] }] })],
    expect: [
      ["1.2.3.4", "b/db", "TCP 5432"],
      ["c/legacy", "b/db", "TCP 5432"],
    ],
  },
  {
    name: "an empty from list matches every source too",
    spec: "If this field is empty or missing, this rule matches all sources (traffic not restricted by source).",
    policies: [onDb({ ingress: [{ from: [], ports: [{ port: 5432 }] }] })],
    expect: [
      ["1.2.3.4", "b/db", "TCP 5432"],
      ["a/web", "b/db", "TCP 5432"],
    ],
  },
  {
    name: "absent ports match every port; namespace selectors match no outside address",
    spec: "If this field is empty or missing, this rule matches all ports (traffic not restricted by port).",
    policies: [onDb({ ingress: [{ from: [{ namespaceSelector: {} }] }] })],
    expect: [
      ["a/web", "b/db", ALL],
      ["c/legacy", "b/db", ALL],
      ["1.2.3.4", "b/db", NONE],
    ],
  },
  {
    name: "an empty rule ({}) allows everything while an empty rule list allows nothing",
    spec: "If this field is empty then this NetworkPolicy does not allow any traffic",
    policies: [onDb({ ingress: [{}] }), netpol("b", "cache", { podSelector: { matchLabels: { app: "cache" } }, ingress: [] })],
    expect: [
      ["1.2.3.4", "b/db", ALL],
      ["a/web", "b/db", ALL],
      ["a/web", "b/cache", NONE],
    ],
  },
  {
    name: "podSelector alone selects pods of the policy's own namespace",
    spec: "Otherwise it selects the pods matching podSelector in the policy's own namespace.",
    policies: [
      netpol("a", "worker", { podSelector: { matchLabels: { app: "worker" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }] }] }),
    ],
    expect: [
      ["a/web", "a/worker", ALL],
      ["c/web", "a/worker", NONE],
    ],
  },
  {
    name: "namespaceSelector alone selects every pod of the selected namespaces",
    spec: "Otherwise it selects all pods in the namespaces selected by namespaceSelector.",
    policies: [
      netpol("a", "worker", {
        podSelector: { matchLabels: { app: "worker" } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "prod" } } }] }],
      }),
    ],
    expect: [
      ["a/web", "a/worker", ALL],
      ["b/db", "a/worker", ALL],
      ["c/web", "a/worker", NONE],
    ],
  },
  {
    name: "both selectors in one peer select pods matching both (AND)",
    spec: "the NetworkPolicyPeer as a whole selects the pods matching podSelector in the namespaces selected by namespaceSelector",
    policies: [onDb({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "prod" } }, podSelector: { matchLabels: { app: "web" } } }] }] })],
    expect: [
      ["a/web", "b/db", ALL],
      ["c/web", "b/db", NONE],
      ["b/cache", "b/db", NONE],
    ],
  },
  {
    name: "separate peers in one rule are alternatives (OR)",
    spec: "Items in this list are combined using a logical OR operation.",
    policies: [onDb({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: "dev" } } }, { podSelector: { matchLabels: { app: "cache" } } }] }] })],
    expect: [
      ["c/web", "b/db", ALL],
      ["c/legacy", "b/db", ALL],
      ["b/cache", "b/db", ALL],
      ["a/web", "b/db", NONE],
    ],
  },
  {
    name: "an empty podSelector on the policy selects every pod of its namespace",
    spec: "An empty selector matches all pods in the policy's namespace.",
    policies: [netpol("b", "deny-all", { podSelector: {} })],
    expect: [
      ["a/web", "b/cache", NONE],
      ["a/web", "b/db", NONE],
      ["a/web", "c/web", ALL],
    ],
  },
  {
    name: "matchExpressions In",
    spec: "matchExpressions is a list of label selector requirements. The requirements are ANDed.",
    policies: [
      onDb({
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web", "worker"] }] } }] }],
      }),
    ],
    expect: [
      ["a/web", "b/db", ALL],
      ["a/worker", "b/db", ALL],
      ["c/web", "b/db", ALL],
      ["b/cache", "b/db", NONE],
      ["c/legacy", "b/db", NONE],
    ],
  },
  {
    name: "matchExpressions NotIn also matches pods without the key",
    spec: "Valid operators are In, NotIn, Exists and DoesNotExist.",
    policies: [
      onDb({ ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "app", operator: "NotIn", values: ["web"] }] } }] }] }),
    ],
    expect: [
      ["c/legacy", "b/db", ALL],
      ["a/worker", "b/db", ALL],
      ["a/web", "b/db", NONE],
      ["c/web", "b/db", NONE],
    ],
  },
  {
    name: "matchExpressions Exists and DoesNotExist, ANDed with matchLabels",
    spec: "The result of matchLabels and matchExpressions are ANDed.",
    policies: [
      onDb({
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "Exists" }] } }] }],
      }),
      netpol("b", "cache", {
        podSelector: { matchLabels: { app: "cache" } },
        ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] } }] }],
      }),
    ],
    expect: [
      ["a/web", "b/db", ALL],
      ["c/web", "b/db", NONE],
      ["c/legacy", "b/cache", ALL],
      ["a/web", "b/cache", NONE],
    ],
  },
  {
    name: "namespace matchExpressions: NotIn over namespace labels",
    spec: "namespaceSelector selects namespaces using cluster-scoped labels.",
    policies: [onDb({ ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "team", operator: "NotIn", values: ["front"] }] } }] }] })],
    expect: [
      ["c/web", "b/db", ALL],
      ["b/cache", "b/db", ALL],
      ["a/web", "b/db", NONE],
    ],
  },
  {
    name: "every namespace carries its name as the kubernetes.io/metadata.name label",
    spec: "namespaceSelector selects namespaces using cluster-scoped labels (the API server sets kubernetes.io/metadata.name on every namespace)",
    policies: [onDb({ ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "c" } } }] }] })],
    expect: [
      ["c/web", "b/db", ALL],
      ["a/web", "b/db", NONE],
    ],
  },
  {
    name: "ipBlock with except (IPv4); an ipBlock does not select pods",
    spec: "The except entry describes CIDRs that should not be included within this rule.",
    policies: [onDb({ ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }] }] })],
    expect: [
      ["10.0.0.1", "b/db", ALL],
      ["10.255.255.255", "b/db", ALL],
      ["10.1.2.3", "b/db", NONE],
      ["11.0.0.1", "b/db", NONE],
      ["a/web", "b/db", NONE],
    ],
  },
  {
    name: "ipBlock with except (IPv6) on egress",
    spec: 'IPBlock describes a particular CIDR (Ex. "192.168.1.0/24","2001:db8::/64")',
    policies: [
      netpol("a", "web-v6", {
        podSelector: { matchLabels: { app: "web" } },
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "2001:db8::/32", except: ["2001:db8:1::/48"] } }] }],
      }),
    ],
    expect: [
      ["a/web", "2001:db8::1", ALL],
      ["a/web", "2001:db8:1::5", NONE],
      ["a/web", "10.0.0.1", NONE],
      ["a/web", "b/db", NONE],
    ],
  },
  {
    name: "egress peers select destinations the way ingress peers select sources",
    spec: "to is a list of destinations for outgoing traffic of pods selected for this rule. Items in this list are combined using a logical OR operation.",
    policies: [
      netpol("a", "web-out", {
        podSelector: { matchLabels: { app: "web" } },
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              { podSelector: { matchLabels: { app: "worker" } } },
              { namespaceSelector: { matchLabels: { team: "back" } }, podSelector: { matchLabels: { app: "db" } } },
            ],
          },
        ],
      }),
    ],
    expect: [
      ["a/web", "a/worker", ALL],
      ["a/web", "b/db", ALL],
      ["a/web", "b/cache", NONE],
      ["a/web", "c/web", NONE],
      ["a/web", "1.2.3.4", NONE],
    ],
  },
  {
    name: "an empty to list matches every destination",
    spec: "If this field is empty or missing, this rule matches all destinations (traffic not restricted by destination).",
    policies: [netpol("a", "web-out", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ to: [], ports: [{ port: 443 }] }] })],
    expect: [
      ["a/web", "b/db", "TCP 443"],
      ["a/web", "1.2.3.4", "TCP 443"],
      ["a/web", "2001:db8::1", "TCP 443"],
    ],
  },
  {
    name: "an IPv4 block never matches an IPv6 address, nor the reverse",
    spec: 'cidr is a string representing the IPBlock Valid examples are "192.168.1.0/24" or "2001:db8::/64"',
    policies: [onDb({ ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }, { ipBlock: { cidr: "fd00::/8" } }] }] })],
    expect: [
      ["8.8.8.8", "b/db", ALL],
      ["fd12::1", "b/db", ALL],
      ["2001:db8::1", "b/db", NONE],
    ],
  },
  {
    name: "a port without protocol is TCP",
    spec: "protocol represents the protocol (TCP, UDP, or SCTP) which traffic must match. If not specified, this field defaults to TCP.",
    policies: [onDb({ ingress: [{ ports: [{ port: 5432 }, { protocol: "UDP", port: 53 }] }] })],
    expect: [["a/web", "b/db", "TCP 5432,UDP 53"]],
  },
  {
    name: "endPort opens an inclusive range (SCTP here)",
    spec: "endPort indicates that the range of ports from port to endPort if set, inclusive, should be allowed by the policy.",
    policies: [onDb({ ingress: [{ ports: [{ protocol: "SCTP", port: 9000, endPort: 9010 }] }] })],
    expect: [["a/web", "b/db", "SCTP 9000-9010"]],
  },
  {
    name: "a protocol without a port matches every port of that protocol",
    spec: "If this field is not provided, this matches all port names and numbers.",
    policies: [onDb({ ingress: [{ ports: [{ protocol: "UDP" }] }] })],
    expect: [["a/web", "b/db", "UDP 1-65535"]],
  },
  {
    name: "a named ingress port resolves on each selected pod",
    spec: "port represents the port on the given protocol. This can either be a numerical or named port on a pod.",
    policies: [netpol("a", "http-only", { podSelector: {}, ingress: [{ ports: [{ port: "http" }] }] })],
    expect: [
      ["b/db", "a/web", "TCP 8080"],
      ["b/db", "a/worker", "TCP 8081"],
      ["1.2.3.4", "a/web", "TCP 8080"],
    ],
  },
  {
    name: "a named egress port resolves on each destination pod, and to nothing outside the cluster",
    spec: "port represents the port on the given protocol. This can either be a numerical or named port on a pod.",
    policies: [netpol("b", "cache-out", { podSelector: { matchLabels: { app: "cache" } }, policyTypes: ["Egress"], egress: [{ ports: [{ port: "http" }] }] })],
    expect: [
      ["b/cache", "a/web", "TCP 8080"],
      ["b/cache", "b/db", "TCP 8082"],
      ["b/cache", "c/legacy", NONE],
      ["b/cache", "8.8.8.8", NONE],
    ],
  },
  {
    name: "a named port must match the protocol too",
    spec: "If present, only traffic on the specified protocol AND port will be matched.",
    policies: [
      netpol("b", "cache-tcp", {
        podSelector: { matchLabels: { app: "cache" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "db" } } }], ports: [{ port: "dns" }] }],
      }),
      netpol("b", "cache-udp", {
        podSelector: { matchLabels: { app: "cache" } },
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "front" } } }], ports: [{ port: "dns", protocol: "UDP" }] }],
      }),
    ],
    expect: [
      ["b/db", "b/cache", NONE],
      ["a/web", "b/cache", "UDP 53"],
    ],
  },
];

describe("NetworkPolicy semantics", () => {
  specCases(BASE, CASES);
});
