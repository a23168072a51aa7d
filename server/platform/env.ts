// Process environment, validated once. Defaults work on a developer machine.
import { z } from "zod";
import { parseTrustedProxies } from "./trusted-proxies";
import { describeFieldErrors, fieldErrorsOf } from "./zod-issues";

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // PostgreSQL connection string. `npm start` fills it in when it starts the embedded server.
  DATABASE_URL: z.string().url().default("postgresql://postgres@127.0.0.1:5432/isthmus"),
  // Redis for queues, pub/sub wake-ups, rate limits and hot lease state.
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  // Secret that signs session cookies (next-auth). Must be set in production.
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  // Public URL of the console; used in invite links and the agent install snippet.
  PUBLIC_URL: z.string().url().default("http://localhost:3000"),
  // Agent container image written into the install manifests served at
  // /api/agent/v1/install/<id>.yaml (a private registry, a pinned tag): the whole
  // reference. Unset: deploy/agent's image tagged with this release's AGENT_VERSION.
  AGENT_IMAGE: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .regex(/^[a-z0-9][a-z0-9._/:@-]*$/i, "must be an image reference such as registry.example.com/isthmus-agent:1.2.3")
      .optional(),
  ),
  // Optional generic OIDC provider (Keycloak, Dex, Entra, ...). All three enable it.
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  // Shown on the sign-in button of the OIDC provider.
  OIDC_NAME: z.string().default("Single sign-on"),
  // Session is dropped after this long without activity (seconds).
  SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(8 * 3600),
  // Session is dropped this long after sign-in regardless of activity (seconds).
  SESSION_ABSOLUTE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 24 * 3600),
  // Sign-in throttling: after this many failed sign-ins on one account (or from one
  // address), each further attempt must wait 2^n seconds, doubling per failure...
  SIGNIN_FREE_FAILURES: z.coerce.number().int().min(1).default(5),
  // ...up to this many seconds. Counts are forgotten a day after the last failure.
  SIGNIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  // Proxies allowed to say who the client is (X-Forwarded-For): comma-separated CIDRs or
  // addresses, `loopback`, `private`, and/or a number of hops. Empty: trust nobody, the
  // client is the socket's peer. See server/http/client-address.ts.
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  // Bearer token that /api/metrics requires. Unset: only loopback peers may read it.
  // (Empty counts as unset, so compose can pass `${METRICS_TOKEN:-}`.)
  METRICS_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(16, "must be at least 16 characters").optional()),
  // Port of the agent API process (the lean HTTP server for /api/agent/v1).
  AGENT_API_PORT: z.coerce.number().int().positive().default(3100),
  // Agent API processes sharing that port (one event loop each; connections are dealt
  // out in turn). One serves 5,000 heartbeats/s on two cores; more, up to the cores it
  // may use, raise the most it answers (see bench/README.md).
  AGENT_API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  // Enrolment attempts the agent API accepts per source address per minute, so a leaked
  // or guessed registration token cannot be hammered. Raise it when many clusters enrol
  // at once through one NAT address.
  AGENT_ENROL_PER_MINUTE: z.coerce.number().int().positive().default(30),
  // Heartbeat hot state is written to Postgres by the workers process every 250 ms. Set
  // this (ms) to also flush from the agent API process itself, e.g. when it runs without
  // workers; 0 keeps that work off the agent API's event loop.
  AGENT_API_FLUSH_MS: z.coerce.number().int().min(0).default(0),
  // Gateway history: "on" (the default) spools each accepted heartbeat's link samples and
  // pushes them to Redis every second (gateways/sample-spool.ts), whence the workers sum
  // each closed minute into the 1-minute rollups; "off"
  // keeps the live link state only (no history, charts or rollups). Read by the agent API;
  // the agent benchmark measures its cost by running both (bench/README.md).
  GATEWAY_HISTORY: z.enum(["on", "off"]).default("on"),
  // Nice value the workers process runs at (0..19, 0 keeps the default): its batch work
  // yields the CPU to the agent API and the console on shared cores.
  WORKERS_NICE: z.coerce.number().int().min(0).max(19).default(10),
  // Port of the workers' health listener (GET /livez, /readyz) for container and
  // Kubernetes probes; 0 (the default) starts none. The workers have no other port.
  WORKERS_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  // Address it listens on: 127.0.0.1 suits a probe run inside the container (compose);
  // 0.0.0.0 for Kubernetes httpGet probes, which come from outside the pod.
  WORKERS_HEALTH_HOST: z.string().min(1).default("127.0.0.1"),
  // Where Next.js forwards /api/agent/* when both run on one host.
  AGENT_API_URL: z.string().url().default("http://127.0.0.1:3100"),
  // Agent lease: heartbeat interval; a cluster is UNKNOWN after 3 missed leases.
  LEASE_DURATION_SECONDS: z.coerce.number().int().min(5).max(600).default(15),
  // pino level: fatal, error, warn, info, debug, trace or silent.
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof ZEnv>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = ZEnv.safeParse(source);
  if (!result.success) {
    const lines = describeFieldErrors(fieldErrorsOf(result.error.issues, "environment")).replace(/^/gm, "  ");
    throw new Error(`invalid environment:\n${lines}`);
  }
  const env = result.data;
  if (env.NODE_ENV === "production" && !env.NEXTAUTH_SECRET) {
    throw new Error("invalid environment:\n  NEXTAUTH_SECRET: required in production (at least 16 characters)");
  }
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc !== 0 && oidc !== 3) {
    throw new Error("invalid environment:\n  OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: set all three or none");
  }
  return env;
}

let cached: Env | undefined;
/** The validated environment of this process (parsed on first use). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
