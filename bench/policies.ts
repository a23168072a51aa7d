// Benchmark: connectivity policies, pure (no database): the work a delivery, the
// matrix endpoint and `isthmus netpol list` do.
//   npm run bench:policies -- [--runs 3]
// 1. Compile 200 clusters (one full-mesh slice) × 50 policies: every member's objects.
//    Per cluster the work is its peers × the policies (the slice's members), so one
//    cluster's compile grows with its peers, and the fleet's with clusters × peers.
// 2. One matrix over 50 clusters × 20 namespaces on one port (1,000 endpoints, ~1M cells),
//    evaluated with the engine over compiled plus reported objects: every cell's decision,
//    with its deciding rules, as an index into the distinct decisions.
// 3. `netpol list` (parse, analyze, txt) over 2,000 workloads and 500 NetworkPolicies.
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { compilePolicies, type FleetCluster } from "../server/netpol/compile";
import { analyze, format, parseManifests } from "../server/netpol/engine/index";
import type { Fleet, FleetClusterInfo } from "../server/netpol/fleet";
import { compactMatrix, NO_CELL } from "../server/policies/matrix";
import { matrixEndpoints } from "../server/policies/preview";
import { Evaluator } from "../server/policies/reachability";
import { ZEndpointSelector, ZPolicyPort, type PolicyRule } from "../server/netpol/rules";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(values.runs);
const SITES = ["EDGE", "CLOUD", "ONPREM"] as const;

function fleetOf(n: number, namespaces: number, policies: PolicyRule[]): Fleet {
  const clusters: FleetClusterInfo[] = Array.from({ length: n }, (_, i) => {
    const ns = Array.from({ length: namespaces }, (_, j) => ({ name: `ns-${j}`, labels: { team: `t${j % 4}` } }));
    const c: FleetCluster = {
      id: `c${i}`,
      name: `cluster-${i}`,
      labels: { env: i % 2 ? "prod" : "dev", region: ["eu-west", "eu-central", "us-east"][i % 3]! },
      siteType: SITES[i % 3]!,
      adminNetworkPolicy: true,
    };
    return {
      ...c,
      namespaces: ns,
      inventory: {
        adminNetworkPolicy: true,
        namespaces: ns,
        workloads: ns.map((x) => ({
          namespace: x.name,
          name: "app",
          kind: "Deployment" as const,
          labels: { app: "app" },
          ports: [{ name: "http", port: 8080, protocol: "TCP" as const }],
        })),
        policies: [],
      },
    };
  });
  const members = clusters.map((c, i) => ({ ...c, subnet: `10.${100 + (i >> 8)}.${i & 255}.0/24` }));
  const links: Array<{ a: string; b: string }> = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) links.push({ a: `c${i}`, b: `c${j}` });
  return { clusters, slices: [{ id: "s1", name: "mesh", posture: "ALLOW_WITHIN_SLICE", members, links }], policies };
}

function policiesOf(count: number): PolicyRule[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `pol_${i}`,
    name: `p-${i}`,
    enabled: true,
    priority: i * 10,
    action: i % 5 === 0 ? "DENY" : "ALLOW",
    sliceId: null,
    from: ZEndpointSelector.parse({ clusters: i % 3 === 0 ? { selector: "env=prod" } : {}, namespaces: { names: [`ns-${i % 20}`] } }),
    to: ZEndpointSelector.parse({
      clusters: i % 4 === 0 ? { selector: "region in (eu-west,eu-central)" } : {},
      namespaces: { names: [`ns-${(i + 3) % 20}`] },
      pods: "app=app",
    }),
    ports: [ZPolicyPort.parse({ protocol: "TCP", port: 8000 + (i % 100) })],
  }));
}

// Wall time, and this process's CPU time (user + system, all its threads, so the
// garbage collector's helpers too): on a shared machine the second is the steadier one.
function time(label: string, fn: () => unknown) {
  const ms: number[] = [];
  const cpuMs: number[] = [];
  let out: unknown;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const c = process.cpuUsage();
    out = fn();
    ms.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpuMs.push((used.user + used.system) / 1000);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!.toFixed(0);
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${med(ms)} ms (min ${ms[0]!.toFixed(0)}, max ${ms.at(-1)!.toFixed(0)}, ${RUNS} runs); CPU median ${med(cpuMs)} ms`);
  return out;
}

// 1. Compile.
{
  const fleet = fleetOf(200, 20, policiesOf(50));
  const slices = fleet.slices;
  let objects = 0;
  time("compile 200 clusters × 50 policies", () => {
    objects = 0;
    for (const c of fleet.clusters) objects += compilePolicies({ self: c, namespaces: c.namespaces, slices, policies: fleet.policies }).objects.length;
  });
  console.log(`  ${objects} objects`);
}

// 2. Matrix: every cell's decision and deciding rules, held as indexes into the distinct
//    decisions (the API materialises objects only for the ≤ 40,000 cells it returns).
{
  const fleet = fleetOf(50, 20, policiesOf(50));
  const refs = matrixEndpoints(fleet).map((e) => ({ cluster: e.cluster, namespace: e.namespace }));
  // TCP 8080: no policy names the port, every cell falls to the default; TCP 8000: a
  // DENY (p-0, prod clusters' ns-0 towards the EU clusters) decides part of the cells.
  for (const port of [8080, 8000]) {
    let cells = 0;
    let allowed = 0;
    let rules = 0;
    let distinct = 0;
    time(`matrix ${refs.length} endpoints (50 clusters × 20 namespaces), TCP ${port}`, () => {
      const m = compactMatrix(new Evaluator(fleet, fleet.policies), refs, "TCP", port);
      // Read every cell's decision and its deciding rules once, as a consumer would.
      cells = allowed = rules = 0;
      for (let k = 0; k < m.cells.length; k++) {
        const at = m.cells[k]!;
        if (at === NO_CELL) continue;
        const d = m.decisions[at]!;
        cells++;
        if (d.decision === "ALLOW") allowed++;
        rules += d.decidedBy.length;
      }
      distinct = m.decisions.length;
    });
    console.log(`  ${cells} cells (${allowed} ALLOW, ${rules} deciding-rule references), ${distinct} distinct decisions`);
  }
}

// 3. netpol list.
{
  const docs: unknown[] = [];
  for (let n = 0; n < 50; n++) docs.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns-${n}`, labels: { team: `t${n % 5}` } } });
  for (let w = 0; w < 2000; w++) {
    docs.push({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `app-${w}`, namespace: `ns-${w % 50}` },
      spec: {
        template: {
          metadata: { labels: { app: `app-${w % 40}`, tier: w % 3 ? "back" : "front" } },
          spec: { containers: [{ name: "c", image: "x", ports: [{ name: "http", containerPort: 8080 }] }] },
        },
      },
    });
  }
  for (let p = 0; p < 500; p++) {
    docs.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `np-${p}`, namespace: `ns-${p % 50}` },
      spec: {
        podSelector: { matchLabels: { app: `app-${p % 40}` } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { team: `t${p % 5}` } }, podSelector: { matchLabels: { tier: "front" } } }],
            ports: [{ port: 8080 + (p % 3) }],
          },
        ],
      },
    });
  }
  const text = JSON.stringify(docs);
  let lines = 0;
  time("netpol list 2,000 workloads × 500 policies (parse, analyze, txt)", () => {
    const { inventory } = parseManifests([{ path: "bench.json", text }]);
    lines = format(analyze(inventory), "txt", false).split("\n").length;
  });
  console.log(`  ${lines} lines`);
}
