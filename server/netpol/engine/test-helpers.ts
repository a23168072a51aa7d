// Builders for the engine's tests: manifests as plain objects, evaluated through the
// same parser a user's folder goes through.
import { expect, it } from "vitest";
import { analyze, between, prepare, type Analysis } from "./analyze";
import type { ConnSet } from "./conn-set";
import { parseCidr } from "./ip-ranges";
import { parseManifests } from "./parse-manifests";
import { decide } from "./tiers";
import type { Inventory } from "./types";

type Obj = Record<string, unknown>;
export type Port = { name?: string; containerPort: number; protocol?: string };

export const namespace = (name: string, labels: Record<string, string> = {}): Obj => ({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels } });

export const deployment = (ns: string, name: string, labels: Record<string, string>, ports: Port[] = []): Obj => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: "main", image: "x", ports }] } } },
});

export const netpol = (ns: string, name: string, spec: Obj): Obj => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace: ns },
  spec,
});
export const anp = (name: string, spec: Obj): Obj => ({
  apiVersion: "policy.networking.k8s.io/v1alpha1",
  kind: "AdminNetworkPolicy",
  metadata: { name },
  spec,
});
export const banp = (spec: Obj): Obj => ({
  apiVersion: "policy.networking.k8s.io/v1alpha1",
  kind: "BaselineAdminNetworkPolicy",
  metadata: { name: "default" },
  spec,
});

export function inventory(objects: Obj[]): Inventory {
  const { inventory: inv, warnings } = parseManifests([{ path: "test.json", text: JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }) }]);
  if (warnings.length) throw new Error(`unexpected warnings: ${warnings.join("; ")}`);
  return inv;
}

/**
 * A world to query: conn("a/web", "b/db") between Deployments, conn("a/web", "10.0.0.1")
 * towards an address outside the cluster, conn("10.0.0.1", "a/web") from one.
 */
export function world(objects: Obj[]) {
  const inv = inventory(objects);
  const p = prepare(inv);
  const index = (ref: string) => {
    const i = inv.workloads.findIndex((w) => `${w.namespace}/${w.name}` === ref);
    if (i < 0) throw new Error(`no workload ${ref}`);
    return i;
  };
  const isIp = (s: string) => /^[\d.]+$|:/.test(s);
  const addr = (s: string) => parseCidr(s.includes(":") ? `${s}/128` : `${s}/32`);
  const connSet = (src: string, dst: string): ConnSet => {
    if (isIp(dst)) return decide("egress", inv.workloads[index(src)], { type: "external", range: addr(dst) }, p.policies.egress[index(src)], false).allowed;
    if (isIp(src)) return decide("ingress", inv.workloads[index(dst)], { type: "external", range: addr(src) }, p.policies.ingress[index(dst)], false).allowed;
    return between(p, index(src), index(dst)).conns;
  };
  return { inv, conn: (src: string, dst: string) => connSet(src, dst).toString(), connSet, analysis: (explain = false): Analysis => analyze(inv, { explain }) };
}

export const ALL = "All Connections";
export const NONE = "No Connections";

/** One rule of a spec: the text it quotes, the policies added to the base, the connections it implies. */
export interface SpecCase {
  name: string;
  spec: string;
  policies: Obj[];
  expect: Array<[src: string, dst: string, conn: string]>;
}

/** Each case as a test of its own: the base plus its policies, every expected pair, the spec's text as the message. */
export function specCases(base: Obj[], cases: SpecCase[]) {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const w = world([...base, ...c.policies]);
    const got = c.expect.map(([s, d]) => [s, d, w.conn(s, d)]);
    expect(got, c.spec).toEqual(c.expect);
  });
}

/** Deterministic pseudo-random numbers (mulberry32) so a failing property replays. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)], chance: (p: number) => next() < p };
}
