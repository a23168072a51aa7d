// Set-up of the agent benchmark: a throwaway PostgreSQL database (created, migrated,
// dropped at the end; made by scripts/local-services.ts as the tests' are), a Redis
// logical database of its own, and N clusters enrolled through the real enrolment service.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { createThrowawayDatabase as createDatabase, type ThrowawayDatabase } from "../../scripts/local-services";
import type { SimCluster } from "./fleet";

export type ThrowawayDb = ThrowawayDatabase;

/** An empty `isthmus_bench_<random>` database; the benchmark migrates it. */
export function createThrowawayDatabase(serverUrl: string): Promise<ThrowawayDb> {
  return createDatabase(serverUrl, "isthmus_bench");
}

const CLAIM_KEY = "isthmus-bench:claimed-by";

export interface ClaimedRedisDb {
  url: string;
  db: number;
  release(): Promise<void>;
}

/**
 * A logical Redis database nobody uses, claimed for this run, so the benchmark's hot
 * state (and its dirty-cluster set, which every agent API process pops from) never
 * mixes with another running stack's on the same Redis server. Released by deleting
 * the `{isthmus}:*` keys the run left there.
 */
export async function claimRedisDb(baseUrl: string): Promise<ClaimedRedisDb> {
  const me = `${process.pid}-${randomBytes(3).toString("hex")}`;
  for (let db = 15; db >= 1; db--) {
    const r = new Redis(baseUrl, { db, lazyConnect: true, maxRetriesPerRequest: 1 });
    let kept = false;
    try {
      await r.connect();
      if ((await r.dbsize()) !== 0) continue;
      if ((await r.set(CLAIM_KEY, me, "EX", 7200, "NX")) !== "OK") continue;
      kept = true;
      const url = new URL(baseUrl);
      url.pathname = `/${db}`;
      return {
        url: url.toString(),
        db,
        async release() {
          try {
            let cursor = "0";
            // Bounded: at most 10,000 SCAN rounds.
            for (let round = 0; round < 10_000; round++) {
              const [next, keys] = await r.scan(cursor, "MATCH", "{isthmus}:*", "COUNT", 1000);
              if (keys.length) await r.unlink(...keys);
              cursor = next;
              if (cursor === "0") break;
            }
            if ((await r.get(CLAIM_KEY)) === me) await r.del(CLAIM_KEY);
          } finally {
            r.disconnect();
          }
        },
      };
    } finally {
      if (!kept) r.disconnect();
    }
  }
  throw new Error(`no empty Redis logical database (1..15) on ${baseUrl}; set REDIS_URL to one this run may use`);
}

export interface Enrolled {
  clusters: SimCluster[];
  leaseSeconds: number;
  userMs: number;
  enrolMs: number;
  tokens: number;
}

const pad = (i: number) => String(i).padStart(5, "0");
const SITES = ["EDGE", "CLOUD", "ONPREM"] as const;

/**
 * A tenant with its owner, `concurrency` unlimited registration tokens (one per
 * enrolment worker: a token's use counter is one row every enrolment updates, so one
 * shared token would serialise the workers on its lock), then N clusters enrolled
 * through `registerCluster` — the very service behind POST /register, transaction,
 * credential, revision 1, events and audit included — with the per-address rate
 * limit lifted through its `ratePerMinute` option. Needs DATABASE_URL and REDIS_URL
 * set before the call (server modules read the environment on first use).
 */
export async function enrolFleet(n: number, concurrency: number, deadlineMs: number, progress: (done: number) => void): Promise<Enrolled> {
  const { createUser } = await import("../../server/users/create-user");
  const { createTenant } = await import("../../server/tenants/create-tenant");
  const { createRegistrationToken } = await import("../../server/registration-tokens/create-registration-token");
  const { registerCluster } = await import("../../server/clusters/register-cluster");

  const t0 = performance.now();
  const tag = randomBytes(3).toString("hex");
  const user = await createUser({ email: `bench-${tag}@example.test`, password: "bench-password-123" });
  const tenant = await createTenant({ type: "SYSTEM", label: "bench" }, user.id, { slug: `bench-${tag}`, name: "Agent benchmark" });
  const ctx = { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER" as const, actor: { type: "USER" as const, id: user.id, label: user.email } };
  const tokens: string[] = [];
  for (let w = 0; w < concurrency; w++) {
    tokens.push((await createRegistrationToken(ctx, { name: `bench-${w}`, unlimited: true, ttlSeconds: 3600 })).token);
  }
  const userMs = performance.now() - t0;

  const t1 = performance.now();
  const stopAt = t1 + deadlineMs;
  const clusters: SimCluster[] = new Array(n);
  let next = 0;
  let done = 0;
  let lease = 15;
  const tick = setInterval(() => progress(done), 2000);
  try {
    await Promise.all(
      tokens.map(async (token) => {
        for (;;) {
          const i = next++;
          if (i >= n) return;
          if (performance.now() > stopAt) throw new Error(`enrolment did not finish within ${Math.round(deadlineMs / 1000)} s (${done}/${n} done)`);
          const res = await registerCluster(
            {
              token,
              cluster: {
                uid: `bench-uid-${tag}-${pad(i)}`,
                name: `bench-${pad(i)}`,
                kubernetesVersion: "v1.31.2",
                cni: "cilium",
                podCidrs: [`100.${64 + (i >> 8)}.${i & 255}.0/24`],
                serviceCidrs: [`100.${96 + (i >> 8)}.${i & 255}.0/24`],
                nodeCount: 3 + (i % 20),
                siteType: SITES[i % 3],
                region: `region-${i % 7}`,
                gatewayEndpoints: [`198.51.100.${1 + (i % 250)}:51820`],
                behindNat: i % 5 === 0,
              },
              agentVersion: "0.1.0-bench",
            },
            "127.0.0.1",
            { ratePerMinute: Number.MAX_SAFE_INTEGER },
          );
          clusters[i] = { index: i, clusterId: res.clusterId, credential: res.credential };
          lease = res.leaseDurationSeconds;
          done++;
        }
      }),
    );
  } finally {
    clearInterval(tick);
  }
  return { clusters, leaseSeconds: lease, userMs, enrolMs: performance.now() - t1, tokens: tokens.length };
}
