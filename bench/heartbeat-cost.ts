// Benchmark: what one heartbeat costs Redis and the process that ingests it, with gateway
// history on and off, through the very service the agent API calls (recordHeartbeat: the
// batched heartbeat script, and the sample spool when history is on). No HTTP, no
// generator on the same cores: CPU seconds per heartbeat, Redis's from its INFO, this
// process's from process.cpuUsage (which includes building the bodies, the same for both).
//   npm run bench:heartbeat-cost -- [--heartbeats 400000] [--rounds 2]
// Each mode runs in a child process of its own (GATEWAY_HISTORY is read once per
// process), in turns (off, on, off, on, …), on a Redis logical database of its own.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { heartbeats: { type: "string", default: "400000" }, rounds: { type: "string", default: "2" }, child: { type: "string" } },
});
const HEARTBEATS = Math.max(10_000, Number(values.heartbeats) || 400_000);
const CLUSTERS = 10_000;
const CONCURRENCY = 256;

if (values.child) await child();
else await parent();

async function parent() {
  const { claimRedisDb } = await import("./lib/setup");
  const redisDb = await claimRedisDb(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  const results: Record<string, Array<{ redisUs: number; nodeUs: number; perS: number }>> = { off: [], on: [] };
  try {
    for (let round = 0; round < Math.max(1, Number(values.rounds) || 2); round++)
      for (const mode of ["off", "on"]) {
        const r = spawnSync(
          process.execPath,
          [...process.execArgv, path.join(import.meta.dirname, "heartbeat-cost.ts"), "--child", mode, "--heartbeats", String(HEARTBEATS)],
          {
            env: { ...process.env, REDIS_URL: redisDb.url, GATEWAY_HISTORY: mode, LOG_LEVEL: "silent" },
            encoding: "utf8",
          },
        );
        if (r.status !== 0) throw new Error(`the ${mode} run failed:\n${r.stderr}`);
        const res = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
        results[mode]!.push(res);
        console.log(
          `history ${mode.padEnd(3)}  Redis ${res.redisUs.toFixed(2)} µs · this process ${res.nodeUs.toFixed(2)} µs per heartbeat (${Math.round(res.perS)}/s)`,
        );
      }
  } finally {
    await redisDb.release();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const k of ["redisUs", "nodeUs"] as const) {
    const on = mean(results.on!.map((r) => r[k]));
    const off = mean(results.off!.map((r) => r[k]));
    console.log(
      `${k === "redisUs" ? "Redis       " : "this process"}  on ${on.toFixed(2)} µs − off ${off.toFixed(2)} µs = ${(on - off).toFixed(2)} µs per heartbeat for history`,
    );
  }
}

async function child() {
  const { recordHeartbeat } = await import("../server/clusters/record-heartbeat");
  const { latestRevisionKey } = await import("../server/config/keys");
  const { redis, closeRedis } = await import("../server/platform/redis");
  // (Absent from versions before the spool, which this script also measures.)
  const spool = await import("../server/gateways/sample-spool").then(
    (m) => m.sampleSpool(),
    () => null,
  );
  // A clean database for each run: a hot state left by the last one would have every
  // heartbeat ignored as a replay.
  let cursor = "0";
  do {
    const [next, keys] = await redis().scan(cursor, "MATCH", "{isthmus}:*", "COUNT", 1000);
    if (keys.length) await redis().unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  const id = (p: string, i: number) => `${p}${String(i).padStart(24, "0")}`;
  const clusters = Array.from({ length: CLUSTERS }, (_, i) => id("c", i));
  // The cached desired revision is there, as in a running fleet: no PostgreSQL read.
  const pipe = redis().pipeline();
  for (const c of clusters) pipe.set(latestRevisionKey(c), "1");
  await pipe.exec();
  let seed = 1;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const seqs = new Array<number>(CLUSTERS).fill(0);
  // The agent benchmark's heartbeat: 8 links, 3 components.
  const body = (i: number) => {
    const g = Array.from(
      { length: 8 },
      (_, k) =>
        `{"linkId":"${id("l", i * 8 + k)}","status":"UP","rttMs":${(20 * (0.9 + 0.2 * rnd())).toFixed(2)},"lossPct":${(0.2 * rnd()).toFixed(3)},"rxBps":${(1e6 + 9e6 * rnd()).toFixed(0)},"txBps":${(1e6 + 9e6 * rnd()).toFixed(0)},"lastHandshakeAt":"2026-12-07T01:00:00.000Z"}`,
    ).join(",");
    return `{"seq":${JSON.stringify(++seqs[i]!)},"sentAt":"2026-12-07T01:00:00.000Z","appliedRevision":1,"components":[{"name":"agent","status":"OK"},{"name":"config","status":"OK"},{"name":"gateway","status":"OK"}],"gateways":[${g}]}`;
  };
  const agent = (i: number) => ({
    credentialId: "bench",
    clusterId: clusters[i]!,
    clusterName: "bench",
    tenantId: id("t", 0),
    tenantSlug: "bench",
    leaseDurationSeconds: 15,
  });
  const run = async (total: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < total) {
          const i = next++ % CLUSTERS;
          const raw = Buffer.from(body(i));
          await recordHeartbeat(agent(i), JSON.parse(raw.toString()), { raw });
        }
      }),
    );
    await spool?.flush();
  };
  const redisCpu = async () => {
    const info = await redis().info("cpu");
    return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
  };
  await run(20_000); // warm-up
  const r0 = await redisCpu();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await run(HEARTBEATS);
  const c1 = process.cpuUsage(c0);
  const r1 = await redisCpu();
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ redisUs: ((r1 - r0) / HEARTBEATS) * 1e6, nodeUs: (c1.user + c1.system) / HEARTBEATS, perS: HEARTBEATS / seconds }));
  await closeRedis();
  process.exit(0);
}
