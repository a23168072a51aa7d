// The agent loop for one cluster, whatever the target: enrol once, heartbeat every
// lease, long-poll for revisions, apply, ack until the ack is delivered.
//
// Rule that shapes all of it: losing the control plane changes nothing in the cluster.
// The applied config stays, undelivered acks wait (in memory and on disk), and the agent
// keeps retrying with capped, jittered backoff.
import { randomUUID } from "node:crypto";
import { DEFAULT_LEASE_SECONDS, ERROR_CODES, type AckRequest, type ClusterInfo, type ConfigResponse, type HeartbeatRequest } from "../protocol/index";
import { backoffDelay, sleep, type BackoffOptions } from "./backoff";
import { prepareAppInventory } from "./app-inventory";
import { AgentApiError, isAbortError, type AgentClient } from "./client";
import type { Logger } from "./logger";
import { loadForServer, type AgentState, type AgentStore, type StoredCredential } from "./store";
import type { ApplyResult, ComponentStatus, Target } from "./targets/types";
import { AGENT_VERSION } from "./version";

export class FatalAgentError extends Error {}

export interface RunnerOptions {
  client: AgentClient;
  target: Target;
  /** Recorded with the credential: one issued by another control plane is not reused. */
  serverUrl: string;
  /** Read on every use, so a rotated token file is picked up without a restart. */
  token?: () => string | undefined;
  storeFor: (uid: string) => AgentStore;
  logger: Logger;
  agentVersion?: string;
  waitSeconds?: number;
  /** Overrides the server's lease (tests, benchmarks). */
  heartbeatIntervalMs?: number;
  backoff?: BackoffOptions;
  flushTimeoutMs?: number;
  /** Heartbeats between inventory re-reads; it is sent only when it changed. */
  inventoryEvery?: number;
  /** Spreads a simulated fleet's first calls instead of a thundering herd. */
  startDelayMs?: number;
  /** How often the target is checked for drift from the applied revision (targets that can). */
  reconcileIntervalMs?: number;
}

type Outcome<T> = { ok: true; value: T } | { ok: false };

const truncate = (s: string | undefined, n: number) => (s && s.length > n ? s.slice(0, n - 1) + "…" : s);

export class ClusterRunner {
  private readonly abort = new AbortController();
  private log: Logger;
  private store: AgentStore | null = null;
  private cred: StoredCredential | null = null;
  private state: AgentState = { appliedRevision: 0, appliedHash: "", seq: 0 };
  private seq = 0;
  /** Random per start: the control plane restarts its seq floor for a new session. */
  private session = randomUUID();
  private lease = DEFAULT_LEASE_SECONDS;
  private reauth: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private lastInventory: string | null = null;
  /** The hash of the application inventory the control plane last accepted. */
  private lastAppInventoryHash: string | null = null;
  private heartbeats = 0;
  private failed = { revision: 0, attempts: 0, at: 0, message: undefined as string | undefined };

  constructor(private readonly opts: RunnerOptions) {
    this.log = opts.logger;
  }

  get clusterId(): string | undefined {
    return this.cred?.clusterId;
  }
  get appliedRevision(): number {
    return this.state.appliedRevision;
  }
  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Resolves once stopped; rejects only when the agent can never work (no credential, no token). */
  run(): Promise<void> {
    this.running ??= this.main();
    return this.running;
  }

  private async main(): Promise<void> {
    await sleep(this.opts.startDelayMs ?? 0, this.abort.signal);
    const info = await this.untilDone("inventory", () => this.opts.target.inventory());
    if (!info.ok) return;
    const { uid } = info.value;
    this.log = this.opts.logger.child({ cluster: info.value.name ?? uid });
    this.store = this.opts.storeFor(uid);
    ({ cred: this.cred, state: this.state } = await loadForServer(this.store, uid, this.opts.serverUrl, this.log));
    // A new session restarts the sequence on the control plane. Still seeded from the
    // clock, so that a control plane from before sessions sees it rising across restarts.
    this.seq = Math.max(this.state.seq + 1, Date.now());
    if (this.state.target !== undefined) this.opts.target.restore?.(this.state.target);
    if (!this.cred) await this.enrol(info.value);
    if (this.stopped) return;
    this.log.info("agent connected", { clusterId: this.clusterId, appliedRevision: this.state.appliedRevision, store: this.store.describe() });
    await Promise.all([this.heartbeatLoop(), this.configLoop(), this.reconcileLoop()]);
  }

  /** Stops the loops, aborts the long-poll, then tries briefly to deliver a pending ack. */
  async stop(): Promise<void> {
    if (!this.stopped) this.abort.abort();
    await this.running?.catch(() => {});
    const ack = this.state.pendingAck;
    if (ack && this.cred) {
      try {
        await this.opts.client.ack(this.cred.credential, ack, AbortSignal.timeout(this.opts.flushTimeoutMs ?? 2000));
        this.state.pendingAck = undefined;
        this.log.info("pending ack delivered on shutdown", { revision: ack.revision });
      } catch {
        this.log.warn("ack not delivered before shutdown; it is kept and sent on next start", { revision: ack.revision });
      }
    }
    if (this.store) await this.persist();
  }

  private async enrol(info: ClusterInfo): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const token = this.opts.token?.();
      if (!token) {
        throw new FatalAgentError(
          `no stored credential for cluster ${info.name ?? info.uid} and no registration token (--token, ISTHMUS_TOKEN or ISTHMUS_TOKEN_FILE)`,
        );
      }
      try {
        await this.register(info, token);
        return;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof AgentApiError && err.kind === "auth") {
          this.log.error("registration token rejected; fix the token (it is re-read on every attempt)", { code: err.code, message: err.message });
        }
        await sleep(this.failureDelay("register", err, attempt), this.abort.signal);
      }
    }
  }

  private async register(info: ClusterInfo, token: string): Promise<void> {
    const res = await this.opts.client.register({ token, cluster: info, agentVersion: this.opts.agentVersion ?? AGENT_VERSION }, this.abort.signal);
    const cred = { clusterId: res.clusterId, credential: res.credential, uid: info.uid, server: this.opts.serverUrl };
    await this.store!.saveCredential(cred);
    this.cred = cred;
    this.lease = Math.max(1, res.leaseDurationSeconds);
    this.lastInventory = null; // a fresh enrolment gets the full inventory again
    this.lastAppInventoryHash = null;
    this.log.info("enrolled", { clusterId: res.clusterId, leaseDurationSeconds: res.leaseDurationSeconds });
  }

  /** A 401 means this credential is dead (revoked, or the cluster was deleted). */
  private async onUnauthorized(used: string): Promise<void> {
    if (this.cred?.credential !== used) return; // another loop already re-enrolled
    this.reauth ??= (async () => {
      const token = this.opts.token?.();
      if (!token) {
        this.log.error("credential rejected (cluster deleted or credential revoked) and no registration token to enrol again; retrying with backoff");
        return;
      }
      this.log.warn("credential rejected; enrolling again with the registration token");
      try {
        await this.register(await this.opts.target.inventory(), token);
      } catch (err) {
        const code = err instanceof AgentApiError ? err.code : undefined;
        this.log.error("re-enrolment failed", { code, err });
      }
    })().finally(() => (this.reauth = null));
    await this.reauth;
  }

  private failureDelay(what: string, err: unknown, attempt: number): number {
    const delay = backoffDelay(attempt, this.opts.backoff);
    if (err instanceof AgentApiError && err.kind === "rate-limited") {
      const wait = err.retryAfterMs ?? delay;
      this.log.warn(`${what}: rate limited`, { retryInMs: wait });
      return Math.min(wait, 600_000);
    }
    const fields = { attempt, retryInMs: delay, err, status: (err as AgentApiError).status, code: (err as AgentApiError).code };
    if (err instanceof AgentApiError && err.kind === "transient") {
      // During an outage a whole fleet logs this: first failure and every tenth only.
      if (attempt % 10 === 0) this.log.warn(`${what}: control plane unreachable`, fields);
      else this.log.debug(`${what}: control plane unreachable`, fields);
    } else if (err instanceof AgentApiError && err.kind === "auth") this.log.debug(`${what} unauthorized`, fields);
    else this.log.error(`${what} failed`, fields);
    return delay;
  }

  /** Calls `fn` with the current credential until it succeeds or the runner stops. */
  private async untilDone<T>(what: string, fn: (credential: string) => Promise<T>, giveUpOnRejected = false): Promise<Outcome<T>> {
    for (let attempt = 0; !this.stopped; attempt++) {
      const used = this.cred?.credential ?? "";
      try {
        const value = await fn(used);
        if (attempt > 0) this.log.info(`${what}: reconnected`, { failedAttempts: attempt });
        return { ok: true, value };
      } catch (err) {
        if (this.stopped || isAbortError(err)) break;
        if (err instanceof AgentApiError && err.kind === "auth") {
          await this.onUnauthorized(used);
          if (this.cred && this.cred.credential !== used) continue; // fresh credential: retry at once
          // onUnauthorized said why; no second log line per attempt.
          await sleep(backoffDelay(attempt, this.opts.backoff), this.abort.signal);
          continue;
        }
        if (giveUpOnRejected && err instanceof AgentApiError && err.kind === "rejected") {
          this.log.error(`${what} rejected by the control plane; dropping it`, { err });
          return { ok: false };
        }
        await sleep(this.failureDelay(what, err, attempt), this.abort.signal);
      }
    }
    return { ok: false };
  }

  private async heartbeatLoop(): Promise<void> {
    while (!this.stopped) {
      let sentInventory: string | null = null;
      const res = await this.untilDone("heartbeat", async (credential) => {
        const body = await this.heartbeatBody();
        sentInventory = body.inventory ? JSON.stringify(body.inventory) : null;
        return this.opts.client.heartbeat(credential, body, this.abort.signal).catch((err: unknown) => {
          // The control plane holds a seq floor this session cannot reach (e.g. after a
          // bogus heartbeat from the future): restart the sequence under a new session.
          if (err instanceof AgentApiError && err.code === ERROR_CODES.seqOutOfRange) {
            this.log.warn("heartbeat seq refused as out of range; starting a new session", { seq: body.seq });
            this.session = randomUUID();
          }
          throw err;
        });
      });
      if (!res.ok) break;
      if (sentInventory) this.lastInventory = sentInventory;
      if (this.lastAppInventoryHash === null || this.heartbeats % (this.opts.inventoryEvery ?? 20) === 0) await this.reportAppInventory();
      this.heartbeats++;
      this.lease = Math.max(1, res.value.leaseDurationSeconds);
      if (res.value.desiredRevision > this.state.appliedRevision) {
        this.log.debug("behind desired revision", { desired: res.value.desiredRevision, applied: this.state.appliedRevision });
      }
      await sleep(this.opts.heartbeatIntervalMs ?? this.lease * 1000, this.abort.signal);
    }
  }

  /** Sends the application inventory when its hash changed; never fails the loop. */
  private async reportAppInventory(): Promise<void> {
    const target = this.opts.target;
    if (!target.appInventory || !this.cred) return;
    try {
      const prepared = prepareAppInventory(await target.appInventory());
      if (!prepared.ok) {
        this.log.warn("application inventory not sent", { reason: prepared.reason });
        return;
      }
      if (prepared.report.hash === this.lastAppInventoryHash) return;
      await this.opts.client.appInventory(this.cred.credential, prepared.report, this.abort.signal);
      this.lastAppInventoryHash = prepared.report.hash;
    } catch (err) {
      // A preview nicety: the next round tries again.
      if (!isAbortError(err)) this.log.warn("application inventory unavailable", { err });
    }
  }

  private async heartbeatBody(): Promise<HeartbeatRequest> {
    const body: HeartbeatRequest = {
      seq: this.seq++,
      session: this.session,
      sentAt: new Date().toISOString(),
      appliedRevision: this.state.appliedRevision,
      components: this.components(),
      gateways: this.opts.target.gatewaySamples().slice(0, 512),
    };
    if (this.lastInventory === null || this.heartbeats % (this.opts.inventoryEvery ?? 20) === 0) {
      try {
        const { uid: _uid, name: _name, ...rest } = await this.opts.target.inventory();
        const inventory = { ...rest, agentVersion: this.opts.agentVersion ?? AGENT_VERSION };
        if (JSON.stringify(inventory) !== this.lastInventory) body.inventory = inventory;
      } catch (err) {
        // Inventory is a nicety; a heartbeat must not wait for a flaky kube API.
        this.log.warn("inventory unavailable; heartbeat sent without it", { err });
      }
    }
    return body;
  }

  private components(): ComponentStatus[] {
    const config: ComponentStatus = this.failed.message
      ? { name: "config", status: "DEGRADED", message: truncate(`revision ${this.failed.revision} failed: ${this.failed.message}`, 1024) }
      : { name: "config", status: "OK" };
    const agent: ComponentStatus = { name: "agent", status: "OK", message: `isthmus-agent ${this.opts.agentVersion ?? AGENT_VERSION}` };
    return [agent, config, ...this.opts.target.components()].slice(0, 64);
  }

  /**
   * Puts back what was changed by hand in the cluster since the last apply, on a timer
   * (see KubeTarget.reconcile), and tells the control plane: the applied revision is
   * acked again with each drifted object's result starting "drift:", which the control
   * plane keeps with the revision's acks and raises as an event.
   */
  private async reconcileLoop(): Promise<void> {
    const target = this.opts.target;
    if (!target.reconcile) return;
    while (!this.stopped) {
      await sleep(this.opts.reconcileIntervalMs ?? 60_000, this.abort.signal);
      if (this.stopped || this.state.appliedRevision === 0 || !this.cred) continue;
      let drift: Awaited<ReturnType<NonNullable<Target["reconcile"]>>>;
      try {
        drift = await target.reconcile();
      } catch (err) {
        this.log.warn("drift check failed", { err });
        continue;
      }
      if (drift.length === 0) continue;
      this.log.warn("objects changed outside Isthmus were put back", {
        objects: drift.map((d) => `${d.kind}/${d.namespace ?? ""}/${d.name}: ${d.drift} → ${d.result}`),
      });
      this.state.target = target.snapshot?.();
      await this.persist();
      const ack: AckRequest = {
        revision: this.state.appliedRevision,
        hash: this.state.appliedHash.slice(0, 128),
        status: "APPLIED",
        message: truncate(`drift: ${drift.length} object(s) changed outside Isthmus`, 4096),
        objects: drift.slice(0, 5000).map((d) => ({
          apiVersion: d.apiVersion,
          kind: d.kind,
          name: d.name,
          ...(d.namespace ? { namespace: d.namespace } : {}),
          result: truncate(`drift: ${d.drift}; ${d.result}`, 1024),
        })),
      };
      await this.untilDone("drift report", (c) => this.opts.client.ack(c, ack, this.abort.signal), true);
    }
  }

  private async configLoop(): Promise<void> {
    const wait = this.opts.waitSeconds ?? 30;
    while (!this.stopped) {
      const pending = this.state.pendingAck;
      if (pending) {
        const sent = await this.untilDone("ack", (c) => this.opts.client.ack(c, pending, this.abort.signal), true);
        if (this.stopped) break;
        if (sent.ok) this.log.debug("ack delivered", { revision: pending.revision, status: pending.status });
        this.state.pendingAck = undefined;
        await this.persist();
        continue;
      }
      const res = await this.untilDone("config", (c) => this.opts.client.config(c, this.pollAfter(), wait, this.abort.signal));
      if (!res.ok) break;
      if (res.value) await this.applyRevision(res.value);
    }
  }

  /**
   * Normally the applied revision. After a failed apply, poll past the failed one (wait
   * for a fix) until its retry backoff has elapsed, then fetch it again to retry.
   */
  private pollAfter(): number {
    const f = this.failed;
    if (f.revision > this.state.appliedRevision && Date.now() - f.at < backoffDelay(f.attempts - 1, this.opts.backoff)) return f.revision;
    return this.state.appliedRevision;
  }

  private async applyRevision(res: ConfigResponse): Promise<void> {
    if (res.revision <= this.state.appliedRevision) {
      this.log.warn("ignoring a revision not newer than the applied one", { revision: res.revision, applied: this.state.appliedRevision });
      await sleep(backoffDelay(0, this.opts.backoff), this.abort.signal);
      return;
    }
    let result: ApplyResult;
    try {
      result = await this.opts.target.apply(res.bundle, res.revision);
    } catch (err) {
      result = { ok: false, message: err instanceof Error ? err.message : String(err), objects: [] };
    }
    const ack: AckRequest = {
      revision: res.revision,
      hash: res.hash.slice(0, 128),
      status: result.ok ? "APPLIED" : "FAILED",
      ...(result.message ? { message: truncate(result.message, 4096) } : {}),
      objects: result.objects.slice(0, 5000),
    };
    if (result.ok) {
      this.state.appliedRevision = res.revision;
      this.state.appliedHash = res.hash;
      this.failed = { revision: 0, attempts: 0, at: 0, message: undefined };
      this.log.info("revision applied", { revision: res.revision, objects: result.objects.length });
    } else {
      const attempts = this.failed.revision === res.revision ? this.failed.attempts + 1 : 1;
      this.failed = { revision: res.revision, attempts, at: Date.now(), message: result.message };
      this.log.error("revision failed to apply", { revision: res.revision, attempts, message: result.message });
    }
    this.state.pendingAck = ack;
    this.state.target = this.opts.target.snapshot?.();
    await this.persist();
  }

  private async persist(): Promise<void> {
    try {
      this.state.seq = Math.max(this.state.seq, this.seq);
      await this.store!.saveState(this.state);
    } catch (err) {
      this.log.error("could not save agent state", { err });
    }
  }
}
