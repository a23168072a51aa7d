// Diagnostics loaded into the agent API process by `bench/agents.ts --probe <dir>`
// (node --import). Between two SIGUSR2 (the benchmark sends them at the start and the end
// of each measured window) it records, inside the server: GC pauses by kind, event-loop
// stalls over 30 ms, the time from each POST's 'request' event to its 'finish', the round
// trip of the batched heartbeat script, and old-space growth per second. It writes
// <dir>/step-<n>.txt (summary) and step-<n>.*.csv; with several server processes on one
// port (node:cluster), each process writes its own, step-<n>.p<id>.*, and the primary,
// which serves nothing, none. Not for production: it wraps node:http and ioredis methods.
import cluster from "node:cluster";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { Session } from "node:inspector";
import { PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";

const dir = process.env.ISTHMUS_BENCH_PROBE_DIR;
const servesNothing = cluster.isPrimary && Number(process.env.ISTHMUS_BENCH_PROCESSES ?? 1) > 1;
const tag = cluster.isWorker ? `.p${cluster.worker.id}` : "";
if (dir && !servesNothing) {
  mkdirSync(dir, { recursive: true });
  let on = false;
  let step = 0;
  let gcs = [],
    stalls = [],
    lat = [],
    rtt = [],
    sizes = [],
    heap = [];

  new PerformanceObserver((list) => {
    if (on) for (const e of list.getEntries()) gcs.push([Math.round(e.startTime), e.duration, e.detail?.kind]);
  }).observe({ entryTypes: ["gc"] });

  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    if (on && now - last > 30) stalls.push([Math.round(last), Math.round(now - last)]);
    last = now;
  }, 5).unref();

  setInterval(() => {
    if (!on) return;
    const sp = Object.fromEntries(v8.getHeapSpaceStatistics().map((x) => [x.space_name, x.space_used_size]));
    // Buffers and other memory outside the V8 heap count towards full GCs too: V8 starts one
    // when external memory has grown enough since the last.
    const mem = process.memoryUsage();
    heap.push([Math.round(performance.now()), sp.old_space, sp.new_space, sp.large_object_space, mem.external, mem.arrayBuffers]);
  }, 1000).unref();

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (ev, req, res) {
    if (ev === "request" && on && req.method === "POST") {
      const t0 = performance.now();
      res.once("finish", () => lat.push(performance.now() - t0));
    }
    return emit.apply(this, arguments);
  };

  const { Redis } = createRequire(import.meta.url)("ioredis");
  const evalsha = Redis.prototype.evalsha;
  Redis.prototype.evalsha = function (...args) {
    const p = evalsha.apply(this, args);
    // The heartbeat script: the dirty set, then two keys per heartbeat.
    if (on && Number(args[1]) >= 3 && Number(args[1]) % 2 === 1) {
      const t0 = performance.now();
      sizes.push((Number(args[1]) - 1) / 2);
      p.then(
        () => rtt.push(performance.now() - t0),
        () => {},
      );
    }
    return p;
  };

  const q = (a, p) => (a.length ? a[Math.min(a.length - 1, Math.floor(a.length * p))].toFixed(1) : "–");
  const dist = (a) => {
    a.sort((x, y) => x - y);
    return `n ${a.length} · p50 ${q(a, 0.5)} · p90 ${q(a, 0.9)} · p99 ${q(a, 0.99)} · max ${q(a, 1)}`;
  };
  const csv = (name, rows) => writeFileSync(path.join(dir, `step-${step}${tag}.${name}.csv`), rows.map((r) => r.join(",")).join("\n"));

  function report() {
    const kinds = { 1: "scavenge", 2: "mark-compact", 4: "incremental marking", 8: "weak callbacks" };
    const lines = [`probe, step ${step}${cluster.isWorker ? `, process ${cluster.worker.id}` : ""}`];
    const byKind = new Map();
    for (const [, d, k] of gcs) byKind.set(k, [...(byKind.get(k) ?? []), d]);
    for (const [k, ds] of byKind) lines.push(`  gc ${kinds[k] ?? k}: total ${ds.reduce((a, b) => a + b, 0).toFixed(0)} ms · ${dist(ds)} ms`);
    const big = stalls.filter((s) => s[1] >= 50);
    lines.push(
      `  event-loop stalls ≥ 30 ms: ${stalls.length} (${stalls.reduce((a, s) => a + s[1], 0)} ms), ≥ 50 ms: ${big.length}, longest ${Math.max(0, ...stalls.map((s) => s[1]))} ms`,
    );
    lines.push(`  POST request → finish, in the server: ${dist(lat)} ms`);
    lines.push(`  heartbeat script round trip: ${dist(rtt)} ms; heartbeats per call: ${dist(sizes)}`);
    const growth = [];
    for (let i = 1; i < heap.length; i++) if (heap[i][1] >= heap[i - 1][1]) growth.push((heap[i][1] - heap[i - 1][1]) / 1048576);
    if (heap.length)
      lines.push(
        `  old space: ${(Math.min(...heap.map((h) => h[1])) / 1048576).toFixed(0)}–${(Math.max(...heap.map((h) => h[1])) / 1048576).toFixed(0)} MiB, grows ${q(
          growth.sort((a, b) => a - b),
          0.5,
        )} MiB/s (median second without a full GC)`,
      );
    if (heap.length)
      lines.push(
        `  external memory: ${(Math.min(...heap.map((h) => h[4])) / 1048576).toFixed(0)}–${(Math.max(...heap.map((h) => h[4])) / 1048576).toFixed(0)} MiB (array buffers ${(Math.min(...heap.map((h) => h[5])) / 1048576).toFixed(0)}–${(Math.max(...heap.map((h) => h[5])) / 1048576).toFixed(0)} MiB)`,
      );
    writeFileSync(path.join(dir, `step-${step}${tag}.txt`), lines.join("\n") + "\n");
    csv("gc", gcs);
    csv("stalls", stalls);
    csv("heap", heap);
  }

  // What survives scavenges, by allocation stack: V8's sampling heap profiler told to
  // keep samples of objects a major GC collected but to drop those a scavenge collected.
  // What it reports is what was promoted (or is still live), not everything allocated.
  const sampleHeap = Boolean(process.env.ISTHMUS_BENCH_PROBE_HEAP);
  const inspector = sampleHeap ? new Session() : null;
  inspector?.connect();
  const post = (method, params) => new Promise((resolve, reject) => inspector.post(method, params ?? {}, (err, r) => (err ? reject(err) : resolve(r))));
  function promotedReport(profile) {
    const byStack = new Map();
    const walk = (node, stack) => {
      const f = node.callFrame;
      const here = f.functionName || f.url ? `${f.functionName || "(anon)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}` : "(root)";
      const s = [here, ...stack].slice(0, 6);
      if (node.selfSize > 0) byStack.set(s.join(" < "), (byStack.get(s.join(" < ")) ?? 0) + node.selfSize);
      for (const c of node.children) walk(c, s);
    };
    walk(profile.head, []);
    const total = [...byStack.values()].reduce((a, b) => a + b, 0);
    const top = [...byStack].sort((a, b) => b[1] - a[1]).slice(0, 40);
    return (
      [`promoted or live, sampled: ${(total / 1048576).toFixed(1)} MiB`, ...top.map(([k, v]) => `${(v / 1024).toFixed(0).padStart(8)} KiB  ${k}`)].join("\n") +
      "\n"
    );
  }

  process.on("SIGUSR2", () => {
    if (!on) {
      [gcs, stalls, lat, rtt, sizes, heap] = [[], [], [], [], [], []];
      on = true;
      if (sampleHeap)
        void post("HeapProfiler.startSampling", {
          samplingInterval: 8192,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: false,
        }).catch((e) => console.error("heap sampling:", e.message));
      return;
    }
    on = false;
    step++;
    report();
    const n = step;
    if (sampleHeap)
      void post("HeapProfiler.stopSampling").then(
        (r) => writeFileSync(path.join(dir, `step-${n}${tag}.promoted.txt`), promotedReport(r.profile)),
        (e) => console.error("heap sampling:", e.message),
      );
  });
}
