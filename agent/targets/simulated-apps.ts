// A seeded, realistic application inventory per site type for the simulated target:
// a few namespaces and workloads, some with their own NetworkPolicies (what a team
// would have applied before Isthmus), and AdminNetworkPolicy support as CNIs of that
// kind of site usually have it (cloud and on-prem clusters yes; small edge sites no).
import type { AppInventory } from "../../protocol/app-inventory";
import type { SiteType } from "../../protocol/index";
import { mulberry32 } from "./prng";

type Workload = AppInventory["workloads"][number];

const APPS: Record<SiteType, Record<string, string[]>> = {
  EDGE: { pos: ["till", "sync"], sensors: ["collector", "mqtt"] },
  CLOUD: { shop: ["web", "api", "cart"], payments: ["gateway", "ledger"], monitoring: ["prometheus"] },
  ONPREM: { erp: ["erp-core", "reports"], batch: ["etl"], monitoring: ["prometheus"] },
};

const PORTS: Record<string, Workload["ports"]> = {
  mqtt: [{ name: "mqtt", port: 1883, protocol: "TCP" }],
  ledger: [{ name: "grpc", port: 9090, protocol: "TCP" }],
  prometheus: [{ name: "web", port: 9090, protocol: "TCP" }],
  etl: [],
};

export function simulatedAppInventory(siteType: SiteType, seed: number): AppInventory {
  const rng = mulberry32(seed);
  const namespaces: AppInventory["namespaces"] = [];
  const workloads: Workload[] = [];
  const policies: AppInventory["policies"] = [];
  for (const [ns, apps] of Object.entries(APPS[siteType])) {
    namespaces.push({ name: ns, labels: { team: ns === "monitoring" ? "platform" : ns, ...(rng() < 0.5 ? { env: "prod" } : {}) } });
    for (const app of apps) {
      const kind = app === "prometheus" ? "StatefulSet" : app === "collector" ? "DaemonSet" : app === "etl" ? "CronJob" : "Deployment";
      workloads.push({
        namespace: ns,
        name: app,
        kind,
        labels: { app, tier: app.includes("web") || app === "till" ? "front" : "back" },
        ports: PORTS[app] ?? [{ name: "http", port: 8080, protocol: "TCP" }],
      });
    }
  }
  // Payments and ERP teams lock their namespace down themselves, letting in only their callers.
  const lockDown = (ns: string, from: string) =>
    policies.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `${ns}-only-from-${from}`, namespace: ns },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": from } } },
              { namespaceSelector: { matchLabels: { team: "platform" } } },
            ],
          },
        ],
      },
    });
  if (siteType === "CLOUD" && rng() < 0.8) lockDown("payments", "shop");
  if (siteType === "ONPREM" && rng() < 0.6) lockDown("erp", "batch");
  return { adminNetworkPolicy: siteType !== "EDGE", namespaces, workloads, policies };
}
