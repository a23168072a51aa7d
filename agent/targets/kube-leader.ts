// One agent acts per cluster: two (a rollout's overlap, replicas: 2, a stuck old pod)
// would apply, prune and ack the same revisions against each other. Leadership is a
// coordination.k8s.io/v1 Lease in the agent's namespace, held the way client-go's
// leader election holds it (https://kubernetes.io/docs/concepts/architecture/leases/):
// the holder renews spec.renewTime every few seconds; another candidate takes the Lease
// only once renewTime + leaseDurationSeconds has passed; every write carries the
// resourceVersion it read, so of two candidates racing, exactly one wins (409 for the
// other).
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { statusOf, type KubeHttp } from "./kube-http";

export const LEASE_NAME = "isthmus-agent";

interface Lease {
  apiVersion: "coordination.k8s.io/v1";
  kind: "Lease";
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string | null; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

export interface LeaderOptions {
  namespace: string;
  name?: string;
  /** Unique per process: the pod name plus a random suffix (a restarted container is a new candidate). */
  identity?: string;
  leaseDurationSeconds?: number;
  now?: () => number;
}

/** RFC 3339 with microseconds, as MicroTime is written by the API server. */
const microTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export class LeaderElector {
  readonly identity: string;
  private readonly name: string;
  private readonly duration: number;
  private readonly now: () => number;

  constructor(
    private readonly http: KubeHttp,
    private readonly opts: LeaderOptions,
  ) {
    this.identity = opts.identity ?? `${process.env.POD_NAME ?? hostname()}_${randomUUID().slice(0, 8)}`;
    this.name = opts.name ?? LEASE_NAME;
    this.duration = opts.leaseDurationSeconds ?? 15;
    this.now = opts.now ?? Date.now;
  }

  private get path() {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.opts.namespace}/leases/${this.name}`;
  }

  /** One attempt to acquire or renew. True while this process holds the Lease. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.now();
    let current: Lease | null = null;
    try {
      current = await this.http.request<Lease>("GET", this.path);
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
    if (!current) {
      const body: Lease = {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: this.name, namespace: this.opts.namespace },
        spec: {
          holderIdentity: this.identity,
          leaseDurationSeconds: this.duration,
          acquireTime: microTime(now),
          renewTime: microTime(now),
          leaseTransitions: 0,
        },
      };
      try {
        await this.http.request("POST", `/apis/coordination.k8s.io/v1/namespaces/${this.opts.namespace}/leases`, { body });
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false; // another candidate created it first
        throw err;
      }
    }
    const spec = current.spec ?? {};
    const mine = spec.holderIdentity === this.identity;
    const renewed = spec.renewTime ? Date.parse(spec.renewTime) : 0;
    const expired = !spec.holderIdentity || now > renewed + (spec.leaseDurationSeconds ?? this.duration) * 1000;
    if (!mine && !expired) return false;
    const next: Lease = {
      ...current,
      spec: {
        ...spec,
        holderIdentity: this.identity,
        leaseDurationSeconds: this.duration,
        renewTime: microTime(now),
        ...(mine ? {} : { acquireTime: microTime(now), leaseTransitions: (spec.leaseTransitions ?? 0) + 1 }),
      },
    };
    try {
      await this.http.request("PUT", this.path, { body: next });
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false; // someone wrote it since we read it
      throw err;
    }
  }

  /** Gives the Lease up on a clean stop, so the next agent need not wait out the duration. */
  async release(): Promise<void> {
    try {
      const current = await this.http.request<Lease>("GET", this.path);
      if (current.spec?.holderIdentity !== this.identity) return;
      await this.http.request("PUT", this.path, { body: { ...current, spec: { ...current.spec, holderIdentity: null } } });
    } catch {
      // Best effort: the Lease expires on its own.
    }
  }

  /**
   * Waits until this process leads, then keeps renewing every third of the duration.
   * `onLost` runs once if a renewal fails to keep the Lease (another took it, or the
   * API was unreachable past the duration): the caller must stop acting at once.
   */
  async lead(signal: AbortSignal, onLost: () => void, retryMs = (this.duration * 1000) / 3): Promise<void> {
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
    while (!signal.aborted && !(await this.tryAcquireOrRenew().catch(() => false))) await sleep(retryMs);
    if (signal.aborted) return;
    let lastRenew = this.now();
    void (async () => {
      while (!signal.aborted) {
        await sleep(retryMs);
        if (signal.aborted) return;
        const ok = await this.tryAcquireOrRenew().catch(() => null);
        if (ok) lastRenew = this.now();
        // Not renewed and the time it was valid for has run out (or someone else holds it).
        if (ok === false || this.now() - lastRenew >= this.duration * 1000) {
          onLost();
          return;
        }
      }
    })();
  }
}
