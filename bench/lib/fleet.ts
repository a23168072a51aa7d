// The simulated fleet: N clusters, each holding a config long-poll on its own
// connection (re-issued as soon as it returns, as the agent does), and heartbeats with
// 8 gateway samples and a monotonic seq sent over a shared keep-alive pool — either
// paced at a fixed offered rate (open loop: latency counts from the moment a heartbeat
// was due, so a slow server cannot hide its queue) or as fast as the pool allows
// (closed loop: the ceiling).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Histogram } from "./histogram";
import { HttpConnection } from "./http-client";

export interface SimCluster {
  index: number;
  clusterId: string;
  credential: string;
}

interface ClusterState {
  index: number;
  auth: string;
  links: string[];
  baseRtt: number[];
  seq: number;
  revision: number;
  firstHeld: boolean;
  inventorySent: boolean;
}

export interface Target {
  host: string;
  port: number;
  basePath: string;
}

export type Pace = { mode: "paced"; rate: number } | { mode: "max" };

export interface PhaseResult {
  mode: Pace["mode"];
  offeredRate: number | null;
  windowSeconds: number;
  /** 200s completed inside the window, per second. */
  achievedRate: number;
  okInWindow: number;
  /** Latency of heartbeats answered inside the window, from when each was due (paced) or sent (max), ms. */
  latency: Histogram;
  /** Paced only: how long a due heartbeat waited for a free pool connection, ms. */
  queueDelay: Histogram;
  errors: Record<string, number>;
  firstErrorBodies: Record<string, string>;
  /** Due heartbeats never sent: the backlog bound was hit, or the window ended first. */
  notSent: number;
  /** Sent inside the window but unanswered when the drain time ran out. */
  unfinished: number;
  generatorCpuPct: number;
  generatorEventLoopP99Ms: number;
  generatorEventLoopMaxMs: number;
  /** Long-polls in flight from the generator's side, lowest and at the end of the window. */
  heldMin: number;
  heldEnd: number;
  windowStart: number;
  windowEnd: number;
  /** Per second of the window (by answer time): answers, the slowest, and how many took over 50 ms. */
  perSecond: Array<{ answered: number; maxMs: number; over50: number }>;
}

/** xorshift32: cheap, seedable, good enough for sample values. */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const GATEWAYS_PER_HEARTBEAT = 8;

export class Fleet {
  private readonly states: ClusterState[];
  private readonly polls: HttpConnection[];
  private pool: HttpConnection[] = [];
  private readonly hostHeader: string;
  private stopped = false;
  private sweeper: NodeJS.Timeout;
  private rnd: () => number;
  inFlightPolls = 0;
  readonly pollCounts = { ok200: 0, ok204: 0 };
  readonly pollErrors: Record<string, number> = {};
  private pollOrder: number[] = [];

  constructor(
    private readonly target: Target,
    clusters: readonly SimCluster[],
    private readonly opts: { maxWaitSeconds: number; connections: number; seed?: number },
  ) {
    this.rnd = rng(opts.seed ?? 0x15_7e);
    const n = clusters.length;
    this.hostHeader = `${target.host}:${target.port}`;
    // Each cluster's 8 links reach its 4 neighbours on either side of a ring: every link
    // id is reported by both of its ends, as in a mesh slice.
    this.states = clusters.map((c, i) => {
      const links: string[] = [];
      const baseRtt: number[] = [];
      for (let d = 1; d <= GATEWAYS_PER_HEARTBEAT / 2; d++) {
        for (const j of [(i + d) % n, (i - d + n) % n]) {
          const [a, b] = i < j ? [i, j] : [j, i];
          links.push(`bench-link-${a}-${b}`);
          baseRtt.push(2 + ((a * 7 + b * 13) % 80));
        }
      }
      return { index: c.index, auth: `Authorization: Bearer ${c.credential}\r\n`, links, baseRtt, seq: 0, revision: 0, firstHeld: true, inventorySent: false };
    });
    this.polls = clusters.map(() => new HttpConnection(target.host, target.port));
    // Requests that outlive their deadline are aborted (and counted) once a second.
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const c of this.polls) if (c.busy && c.deadline < now) c.abort("timeout");
      for (const c of this.pool) if (c.busy && c.deadline < now) c.abort("timeout");
    }, 1000);
  }

  /**
   * Carry on each cluster's sequence (and its inventory already sent) where another
   * fleet of the same clusters left it: a second server on the same Redis then accepts
   * these heartbeats instead of ignoring them as replays. The revision is not carried:
   * startLongPolls counts a cluster ready at its first 200, so each cluster's first poll
   * asks from 0 and gets its latest revision at once (as the first fleet's did, which
   * also warms the new server's credential cache); carried, every first poll was held
   * until its timeout and only the first `concurrency` clusters ever polled.
   */
  continueFrom(other: Fleet): void {
    this.states.forEach((s, i) => {
      const o = other.states[i]!;
      s.seq = o.seq;
      s.inventorySent = o.inventorySent;
    });
  }

  get size() {
    return this.states.length;
  }

  // ---- config long-polls -------------------------------------------------------------

  private pollRequest(s: ClusterState): { text: string; wait: number } {
    let wait = this.opts.maxWaitSeconds;
    if (s.revision > 0 && s.firstHeld) {
      // The first held poll of each cluster waits 1..max s, so the fleet's polls come
      // back spread out, as a fleet that has been running a while does, instead of all
      // in the same second.
      s.firstHeld = false;
      wait = 1 + Math.floor(this.rnd() * this.opts.maxWaitSeconds);
    }
    return {
      text: `GET ${this.target.basePath}/config?after=${s.revision}&waitSeconds=${wait} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n${s.auth}\r\n`,
      wait,
    };
  }

  private countPollError(k: string) {
    this.pollErrors[k] = (this.pollErrors[k] ?? 0) + 1;
  }

  /** Issue cluster i's next long-poll; `onFirstAnswer` runs after its first 200. */
  private poll(i: number, onFirstAnswer?: () => void) {
    if (this.stopped) return;
    const s = this.states[i]!;
    const { text, wait } = this.pollRequest(s);
    this.inFlightPolls++;
    this.polls[i]!.send(text, (wait + 20) * 1000, (err, status, body) => {
      this.inFlightPolls--;
      if (this.stopped) return;
      if (err || (status !== 200 && status !== 204)) {
        this.countPollError(err ? `socket: ${err.message}` : `HTTP ${status}`);
        // Back off a second and try again (an agent would back off longer).
        setTimeout(() => this.poll(i, onFirstAnswer), 1000);
        return;
      }
      if (status === 200) {
        this.pollCounts.ok200++;
        try {
          const rev = (JSON.parse(body!.toString("utf8")) as { revision?: unknown }).revision;
          if (typeof rev === "number" && rev > s.revision) s.revision = rev;
        } catch {
          this.countPollError("config: unparsable 200 body");
        }
        if (onFirstAnswer) {
          const f = onFirstAnswer;
          onFirstAnswer = undefined;
          f();
        }
      } else this.pollCounts.ok204++;
      this.poll(i, onFirstAnswer);
    });
  }

  /**
   * Start every cluster's long-poll, at most `concurrency` first fetches at a time: the
   * first (`after=0`) answers revision 1 at once, the next one is held. Resolves when
   * every cluster got its first answer and holds a poll, or at the deadline.
   */
  startLongPolls(concurrency: number, deadlineMs: number): Promise<{ ready: number; ms: number }> {
    const t0 = performance.now();
    const n = this.states.length;
    this.pollOrder = Array.from({ length: n }, (_, i) => i);
    let next = 0;
    let ready = 0;
    return new Promise((resolve) => {
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ ready, ms: performance.now() - t0 });
      };
      const timer = setTimeout(settle, deadlineMs);
      const startNext = () => {
        if (next >= n || this.stopped) return;
        const i = this.pollOrder[next++]!;
        this.poll(i, () => {
          ready++;
          if (ready === n) settle();
          startNext();
        });
      };
      for (let k = 0; k < Math.min(concurrency, n); k++) startNext();
      if (n === 0) settle();
    });
  }

  // ---- heartbeats ----------------------------------------------------------------------

  private body(s: ClusterState, iso: string): string {
    const r = this.rnd;
    let g = "";
    for (let k = 0; k < GATEWAYS_PER_HEARTBEAT; k++) {
      const degraded = r() < 0.02;
      g +=
        (k ? "," : "") +
        `{"linkId":"${s.links[k]}","status":"${degraded ? "DEGRADED" : "UP"}","rttMs":${(s.baseRtt[k]! * (0.9 + 0.2 * r())).toFixed(2)},"lossPct":${(degraded ? 2 + 5 * r() : 0.2 * r()).toFixed(3)},"rxBps":${(1e6 + 9e6 * r()).toFixed(0)},"txBps":${(1e6 + 9e6 * r()).toFixed(0)},"lastHandshakeAt":"${iso}"}`;
    }
    let inv = "";
    if (!s.inventorySent) {
      // The agent sends its inventory with its first heartbeat after start.
      s.inventorySent = true;
      inv = `,"inventory":{"kubernetesVersion":"v1.31.2","cni":"cilium","podCidrs":["10.244.0.0/16"],"serviceCidrs":["10.96.0.0/12"],"nodeCount":${3 + (s.index % 20)},"gatewayEndpoints":["198.51.100.${1 + (s.index % 250)}:51820"],"behindNat":${s.index % 5 === 0},"agentVersion":"0.1.0-bench"}`;
    }
    s.seq++;
    // toFixed and JSON.stringify, not template numbers, for numbers seen once: String()
    // keeps each in V8's number-to-string cache long enough to be promoted, and the
    // generator's own major GCs would show as the agent API's latency
    // (server/platform/number-text.ts).
    return `{"seq":${JSON.stringify(s.seq)},"sentAt":"${iso}","appliedRevision":${s.revision},"components":[{"name":"agent","status":"OK","message":"isthmus-agent 0.1.0-bench"},{"name":"config","status":"OK"},{"name":"gateway","status":"OK"}],"gateways":[${g}]${inv}}`;
  }

  private heartbeatRequest(s: ClusterState): string {
    const body = this.body(s, new Date().toISOString());
    return `POST ${this.target.basePath}/heartbeat HTTP/1.1\r\nHost: ${this.hostHeader}\r\n${s.auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  }

  /**
   * Heartbeats for `warmupMs` (not counted) then `windowMs` (measured), paced or as fast
   * as the pool allows; then up to `drainMs` for answers still in flight.
   */
  runHeartbeats(pace: Pace, warmupMs: number, windowMs: number, drainMs = 5_000): Promise<PhaseResult> {
    const n = this.states.length;
    while (this.pool.length < this.opts.connections) this.pool.push(new HttpConnection(this.target.host, this.target.port));
    const pool = this.pool;
    // Free connections, taken oldest first: every connection carries its share, as each
    // agent of a real fleet sends on its own. Taking the last freed (a stack) kept a
    // handful of connections busy and left the rest idle; with several agent API
    // processes, which are dealt connections in turn, that split one process's load
    // 80/20 from the other's.
    const idle: HttpConnection[] = [...pool];
    // Every cluster in turn, in a shuffled order, so each heartbeats once per N/rate s.
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.rnd() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let rr = 0;

    const start = performance.now();
    const wStart = start + warmupMs;
    const wEnd = wStart + windowMs;
    const latency = new Histogram();
    const queueDelay = new Histogram();
    const perSecond = Array.from({ length: Math.ceil(windowMs / 1000) }, () => ({ answered: 0, maxMs: 0, over50: 0 }));
    const errors: Record<string, number> = {};
    const firstErrorBodies: Record<string, string> = {};
    let okInWindow = 0;
    let inFlight = 0;
    let inFlightWindow = 0;
    let notSent = 0;
    let issuing = true;
    let ended = false;

    const eld = monitorEventLoopDelay({ resolution: 10 });
    eld.enable();
    let cpu0 = process.cpuUsage();
    let heldMin = Infinity;
    let windowStarted = false;

    // Paced: due times in a ring buffer (bounded: 10 s of backlog at the offered rate).
    const rate = pace.mode === "paced" ? pace.rate : 0;
    const cap = pace.mode === "paced" ? Math.max(1024, Math.ceil(rate * 10)) : 1;
    const due = new Float64Array(cap);
    let qHead = 0;
    let qLen = 0;
    let nextDue = start;
    const period = rate > 0 ? 1000 / rate : Infinity;

    const send = (conn: HttpConnection, dueAt: number) => {
      const s = this.states[order[rr++ % n]!]!;
      const sentAt = performance.now();
      if (pace.mode === "paced" && sentAt >= wStart && sentAt < wEnd) queueDelay.record(sentAt - dueAt);
      const from = pace.mode === "paced" ? dueAt : sentAt;
      const dueInWin = from >= wStart && from < wEnd;
      inFlight++;
      if (dueInWin) inFlightWindow++;
      conn.send(this.heartbeatRequest(s), 30_000, (err, status, body) => {
        if (ended) return;
        const now = performance.now();
        inFlight--;
        if (dueInWin) inFlightWindow--;
        const ok = !err && status === 200;
        // Everything answered inside the window counts, whenever it was due: under
        // overload the latency then shows the backlog instead of hiding it.
        if (now >= wStart && now < wEnd) {
          if (ok) {
            okInWindow++;
            latency.record(now - from);
            const sec = perSecond[Math.floor((now - wStart) / 1000)];
            if (sec) {
              sec.answered++;
              sec.maxMs = Math.max(sec.maxMs, now - from);
              if (now - from > 50) sec.over50++;
            }
          } else {
            const k = err ? `socket: ${err.message}` : `HTTP ${status}`;
            errors[k] = (errors[k] ?? 0) + 1;
            if (!err && !(k in firstErrorBodies)) firstErrorBodies[k] = (body?.toString("utf8") ?? "").slice(0, 300);
          }
        }
        idle.push(conn);
        if (issuing) pump();
      });
    };

    const pump = () => {
      if (pace.mode === "max") {
        while (idle.length) send(idle.shift()!, 0);
        return;
      }
      while (idle.length && qLen > 0) {
        const t = due[qHead]!;
        qHead = (qHead + 1) % cap;
        qLen--;
        send(idle.shift()!, t);
      }
    };

    return new Promise((resolve) => {
      const tick = setInterval(() => {
        const now = performance.now();
        if (!windowStarted && now >= wStart) {
          windowStarted = true;
          eld.reset();
          cpu0 = process.cpuUsage();
        }
        if (windowStarted && now < wEnd) heldMin = Math.min(heldMin, this.inFlightPolls);
        if (now >= wEnd) {
          clearInterval(tick);
          finish();
          return;
        }
        if (pace.mode === "paced") {
          while (nextDue <= now) {
            if (qLen < cap) {
              due[(qHead + qLen) % cap] = nextDue;
              qLen++;
            } else if (nextDue >= wStart) notSent++;
            nextDue += period;
          }
        }
        pump();
      }, 1);

      const finish = () => {
        issuing = false;
        const cpu = process.cpuUsage(cpu0);
        const genCpu = ((cpu.user + cpu.system) / 1000 / windowMs) * 100;
        eld.disable();
        const elP99 = eld.percentile(99) / 1e6;
        const elMax = eld.max / 1e6;
        const heldEnd = this.inFlightPolls;
        // Due inside the window but still queued: never sent.
        for (let k = 0; k < qLen; k++) if (due[(qHead + k) % cap]! < wEnd && due[(qHead + k) % cap]! >= wStart) notSent++;
        qLen = 0;
        const drainUntil = performance.now() + drainMs;
        const wait = setInterval(() => {
          if (inFlight > 0 && performance.now() < drainUntil) return;
          clearInterval(wait);
          const unfinished = inFlightWindow;
          // Whatever is still in flight is given up (counted as unfinished, not as errors),
          // so the next phase starts with every pool connection free.
          ended = true;
          for (const c of pool) if (c.busy) c.abort("phase ended");
          resolve({
            mode: pace.mode,
            offeredRate: pace.mode === "paced" ? rate : null,
            windowSeconds: windowMs / 1000,
            achievedRate: okInWindow / (windowMs / 1000),
            okInWindow,
            latency,
            queueDelay,
            errors,
            firstErrorBodies,
            notSent,
            unfinished,
            generatorCpuPct: genCpu,
            generatorEventLoopP99Ms: elP99,
            generatorEventLoopMaxMs: elMax,
            heldMin: heldMin === Infinity ? heldEnd : heldMin,
            heldEnd,
            windowStart: wStart,
            windowEnd: wEnd,
            perSecond,
          });
        }, 20);
      };
      pump();
    });
  }

  /** Stop re-issuing and drop every connection. */
  stop() {
    this.stopped = true;
    clearInterval(this.sweeper);
    for (const c of this.polls) c.close();
    for (const c of this.pool) c.close();
    this.inFlightPolls = 0;
  }
}
