// isthmus-agent: connects one real cluster (--target kube) or a simulated fleet
// (--target simulated --clusters N) to an Isthmus control plane.
import { AgentClient } from "./client";
import { CliError, parseCli, USAGE, type AgentConfig } from "./cli";
import { createLogger, type Logger } from "./logger";
import { ClusterRunner, FatalAgentError } from "./runner";
import { clusterStateDir, FallbackStore, FileStore, type AgentStore } from "./store";
import { hashSeed, mulberry32 } from "./targets/prng";
import type { ProfileName } from "./targets/profiles";
import { SimulatedTarget } from "./targets/simulated";
import type { Target } from "./targets/types";
import { AGENT_VERSION } from "./version";

const SHUTDOWN_DEADLINE_MS = 5000;

function mixedProfile(seed: number, index: number): ProfileName {
  const r = mulberry32(hashSeed(seed, "profile", index))();
  return r < 0.5 ? "edge" : r < 0.8 ? "cloud" : "onprem";
}

interface Leader {
  lead(signal: AbortSignal, onLost: () => void): Promise<void>;
  release(): Promise<void>;
  readonly identity: string;
}

async function buildTargets(cfg: AgentConfig, logger: Logger): Promise<{ targets: Target[]; storeFor: (uid: string) => AgentStore; leader?: Leader }> {
  const fileStore = (uid: string) => new FileStore(clusterStateDir(cfg.stateDir, uid));
  if (cfg.target === "simulated") {
    const targets = Array.from({ length: cfg.clusters }, (_, index) => {
      const profile = cfg.profile === "mixed" ? mixedProfile(cfg.seed, index) : cfg.profile;
      return new SimulatedTarget({
        profile,
        seed: cfg.seed,
        index,
        total: cfg.clusters,
        namePrefix: cfg.namePrefix,
        failApplyRate: cfg.failApplyRate,
        flapRate: cfg.flapRate,
      });
    });
    return { targets, storeFor: fileStore };
  }
  // Loaded lazily: a simulated fleet never needs the Kubernetes client.
  const { KubeTarget } = await import("./targets/kube");
  const { SecretStore, podNamespace } = await import("./targets/kube-store");
  const { LeaderElector } = await import("./targets/kube-leader");
  const target = new KubeTarget({ logger });
  const secrets = new SecretStore(target.http, podNamespace());
  const leader = new LeaderElector(target.http, { namespace: podNamespace() });
  return { targets: [target], storeFor: (uid) => new FallbackStore(secrets, fileStore(uid), logger), leader };
}

async function main(): Promise<number> {
  let cfg: AgentConfig;
  try {
    const parsed = parseCli(process.argv.slice(2));
    if (parsed.kind !== "run") {
      console.log(parsed.kind === "help" ? USAGE : AGENT_VERSION);
      return 0;
    }
    cfg = parsed.config;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    console.error(`isthmus-agent: ${err.message} (see isthmus-agent --help)`);
    return 2;
  }

  const logger = createLogger(cfg.logLevel, { service: "isthmus-agent" });
  logger.info("starting", {
    version: AGENT_VERSION,
    server: cfg.server,
    target: cfg.target,
    clusters: cfg.clusters,
    stateDir: cfg.stateDir,
    tokenSource: cfg.tokenSource,
  });
  const { targets, storeFor, leader } = await buildTargets(cfg, logger);
  const client = new AgentClient({ serverUrl: cfg.server });
  // Spread a fleet's first calls over up to 15 s instead of one burst.
  const spread = cfg.clusters > 1 ? Math.min(15_000, cfg.clusters * 5) : 0;
  const runners = targets.map(
    (target) => new ClusterRunner({ client, target, serverUrl: cfg.server, token: cfg.token, storeFor, logger, startDelayMs: Math.random() * spread }),
  );

  let exitCode = 0;
  let stopping: Promise<void> | null = null;
  const leading = new AbortController();
  const shutdown = (reason: string) =>
    (stopping ??= (async () => {
      logger.info("shutting down", { reason });
      leading.abort();
      const deadline = new Promise<void>((r) => setTimeout(r, SHUTDOWN_DEADLINE_MS).unref());
      await Promise.race([Promise.all(runners.map((r) => r.stop())), deadline]);
      await Promise.all(targets.map((t) => t.close?.().catch(() => {})));
      await leader?.release();
    })());

  for (const sig of ["SIGTERM", "SIGINT"] as const) {
    process.once(sig, () => {
      // A second signal means "now".
      process.once(sig, () => process.exit(130));
      void shutdown(sig);
    });
  }

  if (leader) {
    // Only the Lease holder acts on the cluster; the others wait here as standbys.
    logger.info("waiting for the agent Lease", { identity: leader.identity });
    await leader.lead(leading.signal, () => {
      logger.error("lost the agent Lease to another agent or could not renew it; stopping so that only one agent acts");
      exitCode = 1;
      void shutdown("leadership lost");
    });
    if (leading.signal.aborted) {
      await shutdown("stopped before leading");
      return exitCode;
    }
    logger.info("holding the agent Lease", { identity: leader.identity });
  }
  await Promise.all(
    runners.map((r) =>
      r.run().catch((err) => {
        if (err instanceof FatalAgentError) logger.error(err.message);
        else logger.error("agent loop crashed", { err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) });
        exitCode = 1;
        return shutdown("fatal error");
      }),
    ),
  );
  await shutdown("done");
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
