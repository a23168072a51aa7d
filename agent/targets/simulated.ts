// An in-memory cluster: same protocol behaviour as a real one, with reproducible
// inventory, gateway metrics and faults, for demos, tests and benchmarks.
import type { Bundle, ClusterInfo, GatewaySample, Manifest } from "../../protocol/index";
import { bundleLinks } from "../bundle";
import { orderForApply, planPrune, refKey, refOf, type ObjectRef } from "../kube-plan";
import { between, hashSeed, intBetween, mulberry32, pick } from "./prng";
import { PROFILES, type ProfileName, type SiteProfile } from "./profiles";
import type { AppInventory } from "../../protocol/app-inventory";
import { simulatedAppInventory } from "./simulated-apps";
import type { AckObject, ApplyResult, ComponentStatus, Target } from "./types";

export const MAX_SIMULATED_CLUSTERS = 65_536;

export interface SimulatedOptions {
  profile: ProfileName;
  seed: number;
  /** Position in the simulated fleet (0-based) and its size: CIDRs are distinct across it. */
  index?: number;
  total?: number;
  namePrefix?: string;
  failApplyRate?: number;
  /** Overrides the profile's own flap rate. */
  flapRate?: number;
  now?: () => Date;
}

const bitsFor = (n: number) => Math.ceil(Math.log2(Math.max(1, n)));
const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

/**
 * Pod CIDRs from 10.0.0.0/8 and service CIDRs from 172.16.0.0/12, one distinct block per
 * cluster of the fleet: /16 and /20 while they fit, smaller blocks for big fleets
 * (10,000 clusters get /22 and /26). The seed rotates the blocks so two seeds differ.
 */
export function simulatedCidrs(index: number, total: number, seed: number): { pod: string; service: string } {
  const bits = bitsFor(total);
  const podPrefix = Math.max(16, 8 + bits);
  const svcPrefix = Math.max(20, 12 + bits);
  const podSlots = 2 ** (podPrefix - 8);
  const svcSlots = 2 ** (svcPrefix - 12);
  const offset = hashSeed("cidr", seed);
  const podBase = (10 << 24) >>> 0;
  const svcBase = ((172 << 24) | (16 << 16)) >>> 0;
  const pod = podBase + ((index + offset) % podSlots) * 2 ** (32 - podPrefix);
  const svc = svcBase + ((index + offset) % svcSlots) * 2 ** (32 - svcPrefix);
  return { pod: `${ipv4(pod)}/${podPrefix}`, service: `${ipv4(svc)}/${svcPrefix}` };
}

function uuidFrom(rng: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rng() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface LinkState {
  rng: () => number;
  rttMs: number;
  lossPct: number;
  rxBps: number;
  txBps: number;
  downFor: number;
  lastHandshakeAt?: string;
}

export class SimulatedTarget implements Target {
  readonly kind = "simulated" as const;
  readonly profile: SiteProfile;
  private readonly info: ClusterInfo;
  private readonly seed: number;
  private readonly applyRng: () => number;
  private readonly flapRate: number;
  private readonly now: () => Date;
  private objects = new Map<string, { ref: ObjectRef; json: string }>();
  private links = new Map<string, LinkState>();

  constructor(private readonly opts: SimulatedOptions) {
    this.profile = PROFILES[opts.profile];
    const index = opts.index ?? 0;
    this.seed = hashSeed(opts.seed, index, opts.profile);
    this.applyRng = mulberry32(hashSeed(this.seed, "apply"));
    this.flapRate = opts.flapRate ?? this.profile.flapRate;
    this.now = opts.now ?? (() => new Date());
    this.info = this.makeInventory(index, opts.total ?? 1);
  }

  private makeInventory(index: number, total: number): ClusterInfo {
    const rng = mulberry32(this.seed);
    const p = this.profile;
    const uid = uuidFrom(rng);
    const prefix = (this.opts.namePrefix ?? `sim-${this.opts.profile}`)
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-")
      .slice(0, 40);
    const name = `${prefix}-${uid.slice(0, 4)}-${index}`.replace(/^-+/, "");
    const cidrs = simulatedCidrs(index, total, this.opts.seed);
    const behindNat = rng() < p.behindNatRate;
    // Distinct per cluster of one agent process (its index), in the site's own range;
    // 51820 is WireGuard's port (a demo slice over these clusters uses WIREGUARD).
    const endpoint = `${p.endpointNetwork}.${1 + ((hashSeed(this.opts.seed, this.opts.profile) + index) % 254)}:51820`;
    const provider = pick(rng, Object.keys(p.regions));
    return {
      uid,
      name,
      kubernetesVersion: pick(rng, p.versions),
      cni: pick(rng, p.cnis),
      podCidrs: [cidrs.pod],
      serviceCidrs: [cidrs.service],
      nodeCount: intBetween(rng, p.nodes[0], p.nodes[1]),
      siteType: p.siteType,
      provider,
      region: pick(rng, p.regions[provider]!),
      // A NATed site can only dial out: it has no endpoint a peer could reach.
      gatewayEndpoints: behindNat ? [] : [endpoint],
      behindNat,
    };
  }

  async inventory(): Promise<ClusterInfo> {
    return structuredClone(this.info);
  }

  async appInventory(): Promise<AppInventory> {
    return simulatedAppInventory(this.profile.siteType, hashSeed(this.seed, "apps"));
  }

  async apply(bundle: Bundle, revision: number): Promise<ApplyResult> {
    const manifests: Manifest[] = bundle.manifests ?? [];
    const failRate = this.opts.failApplyRate ?? 0;
    if (failRate > 0 && this.applyRng() < failRate) {
      // Nothing changes on failure, as when an admission webhook rejects the first object.
      const victim = manifests.length ? manifests[Math.floor(this.applyRng() * manifests.length)] : undefined;
      const what = victim ? `${victim.kind}/${victim.metadata.name}` : `revision ${revision}`;
      const message = `simulated fault: admission webhook "policy.example.com" denied ${what}`;
      const objects: AckObject[] = victim ? [{ ...objRef(refOf(victim)), result: "failed" }] : [];
      return { ok: false, message, objects };
    }
    // A simulated cluster starts empty: everything in it was created by the agent.
    const ordered = orderForApply(manifests);
    const plan = planPrune(
      [...this.objects.values()].map((o) => ({ ...o.ref, uid: "simulated" })),
      ordered,
    );
    const objects: AckObject[] = [];
    const next = new Map<string, { ref: ObjectRef; json: string }>();
    for (const m of ordered) {
      const key = refKey(refOf(m));
      const json = JSON.stringify(m);
      const before = this.objects.get(key);
      objects.push({ ...objRef(refOf(m)), result: !before ? "created" : before.json === json ? "unchanged" : "configured" });
      next.set(key, { ref: refOf(m), json });
    }
    for (const ref of plan.remove) objects.push({ ...objRef(ref), result: "pruned" });
    for (const ref of plan.forget) objects.push({ ...objRef(ref), result: "left in place: Isthmus never deletes a namespace" });
    this.objects = next;
    this.setLinks(bundleLinks(bundle).map((l) => l.id));
    return { ok: true, objects };
  }

  private setLinks(ids: string[]): void {
    const next = new Map<string, LinkState>();
    const p = this.profile;
    for (const id of ids) {
      const existing = this.links.get(id);
      if (existing) {
        next.set(id, existing);
        continue;
      }
      const rng = mulberry32(hashSeed(this.seed, "link", id));
      next.set(id, {
        rng,
        rttMs: between(rng, p.rttMs[0], p.rttMs[1]),
        lossPct: between(rng, p.lossPct[0], p.lossPct[1]),
        rxBps: between(rng, p.bps[0], p.bps[1]),
        txBps: between(rng, p.bps[0], p.bps[1]),
        downFor: 0,
      });
    }
    this.links = next;
  }

  /** One step of every link's random walk; call once per heartbeat. */
  gatewaySamples(): GatewaySample[] {
    const p = this.profile;
    const out: GatewaySample[] = [];
    for (const [linkId, s] of this.links) {
      const r = s.rng;
      if (s.downFor > 0) s.downFor--;
      else if (this.flapRate > 0 && r() < this.flapRate) s.downFor = intBetween(r, 2, 6);
      if (s.downFor > 0) {
        out.push({ linkId, status: "DOWN", lossPct: 100, rxBps: 0, txBps: 0, ...(s.lastHandshakeAt ? { lastHandshakeAt: s.lastHandshakeAt } : {}) });
        continue;
      }
      s.rttMs = walk(r, s.rttMs, p.rttMs, 0.08);
      s.lossPct = walk(r, s.lossPct, p.lossPct, 0.15);
      s.rxBps = walk(r, s.rxBps, p.bps, 0.1);
      s.txBps = walk(r, s.txBps, p.bps, 0.1);
      s.lastHandshakeAt = new Date(this.now().getTime() - Math.floor(r() * 120_000)).toISOString();
      const [rttLo, rttHi] = p.rttMs;
      const degraded = s.lossPct >= 2.5 || s.rttMs > rttLo + 0.9 * (rttHi - rttLo);
      out.push({
        linkId,
        status: degraded ? "DEGRADED" : "UP",
        rttMs: round(s.rttMs, 2),
        lossPct: round(s.lossPct, 3),
        rxBps: Math.round(s.rxBps),
        txBps: Math.round(s.txBps),
        lastHandshakeAt: s.lastHandshakeAt,
      });
    }
    return out;
  }

  components(): ComponentStatus[] {
    const down = [...this.links.values()].filter((l) => l.downFor > 0).length;
    return [
      { name: "simulated-cluster", status: "OK" },
      down ? { name: "gateway", status: "DEGRADED", message: `${down} of ${this.links.size} links down` } : { name: "gateway", status: "OK" },
    ];
  }

  snapshot(): unknown {
    return { objects: [...this.objects.values()].map((o) => o.ref), links: [...this.links.keys()] };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as { objects?: ObjectRef[]; links?: string[] } | undefined;
    // Content is not kept across restarts; the next apply reports these as "configured".
    for (const ref of s?.objects ?? []) this.objects.set(refKey(ref), { ref, json: "" });
    this.setLinks(s?.links ?? []);
  }

  /** Applied manifests, for tests and demos. */
  appliedObjects(): ObjectRef[] {
    return [...this.objects.values()].map((o) => o.ref);
  }
}

function objRef(r: ObjectRef): AckObject {
  return { apiVersion: r.apiVersion, kind: r.kind, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}) };
}

// A bounded random walk: steps a fraction of the range, reflects at the edges.
function walk(rng: () => number, value: number, [lo, hi]: [number, number], step: number): number {
  let v = value + (rng() - 0.5) * 2 * step * (hi - lo);
  if (v < lo) v = lo + (lo - v);
  if (v > hi) v = hi - (v - hi);
  return Math.min(hi, Math.max(lo, v));
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
