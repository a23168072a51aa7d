// Command line and environment → a validated agent config. Pure, so bad input is
// tested without starting anything.
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ZClusterInfo } from "../protocol/index";
import { LOG_LEVELS, type LogLevel } from "./logger";
import { PROFILE_NAMES, type ProfileName } from "./targets/profiles";
import { MAX_SIMULATED_CLUSTERS } from "./targets/simulated";

export class CliError extends Error {}

/** process.env, or any plain map in tests. */
export type Env = Record<string, string | undefined>;

export const USAGE = `Usage: isthmus-agent --server URL --token TOKEN [options]

  --server URL            control plane URL (env ISTHMUS_SERVER)
  --token TOKEN           registration token, only needed to enrol (env ISTHMUS_TOKEN,
                          or ISTHMUS_TOKEN_FILE naming a file that holds it)
  --target kube|simulated default kube (env ISTHMUS_TARGET)
  --state-dir DIR         credential and state (env ISTHMUS_STATE_DIR, default ~/.isthmus-agent)
  --log-level LEVEL       debug|info|warn|error|silent (env ISTHMUS_LOG_LEVEL, default info)
simulated target:
  --profile P             edge|cloud|onprem|mixed (default mixed)
  --seed N                reproduces names, uids, CIDRs and metrics (default 1)
  --clusters N            clusters simulated by this process (default 1, max ${MAX_SIMULATED_CLUSTERS})
  --name-prefix P         cluster name prefix (default sim-<profile>)
  --fail-apply-rate F     probability 0..1 that an apply fails (default 0)
  --flap-rate F           probability 0..1 per heartbeat that a link goes down (default: per profile)
  --help, --version`;

export interface AgentConfig {
  server: string;
  /** Returns the token now; a mounted Secret file is re-read on every call. */
  token: () => string | undefined;
  tokenSource: "flag" | "env" | "file" | "none";
  target: "kube" | "simulated";
  stateDir: string;
  logLevel: LogLevel;
  profile: ProfileName | "mixed";
  seed: number;
  clusters: number;
  namePrefix?: string;
  failApplyRate: number;
  flapRate?: number;
}

export type CliResult = { kind: "help" } | { kind: "version" } | { kind: "run"; config: AgentConfig };

function rate(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^\d*\.?\d+$/.test(v.trim()) || !(n >= 0 && n <= 1)) throw new CliError(`--${name} must be a number from 0 to 1, got "${v}"`);
  return n;
}

function integer(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.trim()) || Number(v) < min || Number(v) > max) throw new CliError(`--${name} must be an integer from ${min} to ${max}, got "${v}"`);
  return Number(v);
}

function oneOf<T extends string>(name: string, v: string | undefined, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (!allowed.includes(v as T)) throw new CliError(`--${name} must be one of ${allowed.join(", ")}, got "${v}"`);
  return v as T;
}

export function parseCli(argv: string[], env: Env = process.env): CliResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        server: { type: "string" },
        token: { type: "string" },
        target: { type: "string" },
        "state-dir": { type: "string" },
        profile: { type: "string" },
        seed: { type: "string" },
        clusters: { type: "string" },
        "name-prefix": { type: "string" },
        "fail-apply-rate": { type: "string" },
        "flap-rate": { type: "string" },
        "log-level": { type: "string" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    }));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const s = (k: string) => values[k] as string | undefined;

  const server = s("server") ?? env.ISTHMUS_SERVER;
  if (!server) throw new CliError("--server (or ISTHMUS_SERVER) is required");
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    throw new CliError(`--server must be an http(s) URL, got "${server}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new CliError(`--server must be an http(s) URL, got "${server}"`);

  const target = oneOf("target", s("target") ?? env.ISTHMUS_TARGET, ["kube", "simulated"] as const) ?? "kube";
  const clusters = integer("clusters", s("clusters"), 1, MAX_SIMULATED_CLUSTERS) ?? 1;
  if (target === "kube" && clusters > 1) throw new CliError("--clusters only applies to --target simulated");
  const namePrefix = s("name-prefix");
  if (namePrefix !== undefined && !ZClusterInfo.shape.name.safeParse(`${namePrefix}-0`).success) {
    throw new CliError(`--name-prefix must start a DNS label (lower-case letters, digits, '-'), got "${namePrefix}"`);
  }
  if (target === "kube" && env.ISTHMUS_CLUSTER_NAME && !ZClusterInfo.shape.name.safeParse(env.ISTHMUS_CLUSTER_NAME).success) {
    throw new CliError(`ISTHMUS_CLUSTER_NAME must be a DNS-1123 label, got "${env.ISTHMUS_CLUSTER_NAME}"`);
  }

  const flagToken = s("token");
  const envToken = env.ISTHMUS_TOKEN || undefined;
  const tokenFile = env.ISTHMUS_TOKEN_FILE || undefined;
  const token = flagToken ?? envToken;
  const readTokenFile = () => {
    try {
      return readFileSync(tokenFile!, "utf8").trim() || undefined;
    } catch {
      return undefined; // an optional Secret may be gone after enrolment; the credential suffices
    }
  };

  return {
    kind: "run",
    config: {
      server: server.replace(/\/+$/, ""),
      token: token ? () => token : tokenFile ? readTokenFile : () => undefined,
      tokenSource: flagToken ? "flag" : envToken ? "env" : tokenFile ? "file" : "none",
      target,
      stateDir: path.resolve(s("state-dir") ?? env.ISTHMUS_STATE_DIR ?? path.join(os.homedir(), ".isthmus-agent")),
      logLevel: oneOf("log-level", s("log-level") ?? env.ISTHMUS_LOG_LEVEL, LOG_LEVELS) ?? "info",
      profile: oneOf("profile", s("profile"), [...PROFILE_NAMES, "mixed"] as const) ?? "mixed",
      seed: integer("seed", s("seed"), 0, 2 ** 32 - 1) ?? 1,
      clusters,
      ...(namePrefix !== undefined ? { namePrefix } : {}),
      failApplyRate: rate("fail-apply-rate", s("fail-apply-rate")) ?? 0,
      ...(s("flap-rate") !== undefined ? { flapRate: rate("flap-rate", s("flap-rate")) } : {}),
    },
  };
}
