// HTTP client for the agent protocol. Every response is validated against the shared
// zod contract, and every failure is classified so the runner knows what to do next.
import type { AppInventoryReport } from "../protocol/app-inventory";
import type { z } from "zod";
import {
  PROTOCOL_BASE_PATH,
  ZConfigResponse,
  ZErrorBody,
  ZHeartbeatResponse,
  ZRegisterResponse,
  ZRotateResponse,
  type AckRequest,
  type ConfigResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type RegisterRequest,
  type RegisterResponse,
} from "../protocol/index";
import { AGENT_VERSION } from "./version";

/**
 * auth: the token/credential is bad (re-enrol or give up); rate-limited: wait
 * `retryAfterMs`; transient: 5xx, network, timeout — retry with backoff; rejected: the
 * server refused the request itself (4xx) — retrying the same body will not help.
 */
export type FailureKind = "auth" | "rate-limited" | "transient" | "rejected";

export class AgentApiError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "AgentApiError";
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && err.name === "AbortError";
}

export interface ClientOptions {
  serverUrl: string;
  /** Per-request timeout for short calls; long-polls get their wait on top. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class AgentClient {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ClientOptions) {
    const url = opts.serverUrl.replace(/\/+$/, "");
    this.base = url.endsWith(PROTOCOL_BASE_PATH) ? url : url + PROTOCOL_BASE_PATH;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.fetchImpl = opts.fetch ?? globalThis.fetch;
  }

  register(req: RegisterRequest, signal?: AbortSignal): Promise<RegisterResponse> {
    return this.call("POST", "/register", { body: req, signal }, ZRegisterResponse) as Promise<RegisterResponse>;
  }

  heartbeat(credential: string, req: HeartbeatRequest, signal?: AbortSignal): Promise<HeartbeatResponse> {
    return this.call("POST", "/heartbeat", { credential, body: req, signal }, ZHeartbeatResponse) as Promise<HeartbeatResponse>;
  }

  /** Long-poll for a revision newer than `after`; null when none came within the wait. */
  async config(credential: string, after: number, waitSeconds: number, signal?: AbortSignal): Promise<ConfigResponse | null> {
    const path = `/config?after=${after}&waitSeconds=${waitSeconds}`;
    const res = await this.call("GET", path, { credential, signal, extraTimeoutMs: waitSeconds * 1000 }, ZConfigResponse);
    return (res as ConfigResponse | undefined) ?? null;
  }

  async ack(credential: string, req: AckRequest, signal?: AbortSignal): Promise<void> {
    await this.call("POST", "/ack", { credential, body: req, signal }, null);
  }

  async appInventory(credential: string, report: AppInventoryReport, signal?: AbortSignal): Promise<void> {
    await this.call("POST", "/inventory", { credential, body: report, signal }, null);
  }

  async rotateCredential(credential: string, signal?: AbortSignal): Promise<string> {
    const res = (await this.call("POST", "/credential/rotate", { credential, signal }, ZRotateResponse)) as { credential: string };
    return res.credential;
  }

  private async call(
    method: string,
    path: string,
    opts: { credential?: string; body?: unknown; signal?: AbortSignal; extraTimeoutMs?: number },
    schema: z.ZodType | null,
  ): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.timeoutMs + (opts.extraTimeoutMs ?? 0));
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const headers: Record<string, string> = { accept: "application/json", "user-agent": `isthmus-agent/${AGENT_VERSION}` };
    if (opts.credential) headers.authorization = `Bearer ${opts.credential}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal,
      });
    } catch (err) {
      // The caller's abort (shutdown) propagates as is; our own timeout is just a retry.
      if (opts.signal?.aborted) throw err;
      const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new AgentApiError("transient", `${method} ${path.split("?")[0]} failed: ${cause}`);
    }
    if (res.status === 204) return undefined;
    const text = await res.text().catch(() => "");
    if (!res.ok) throw this.failure(res, text, method, path);
    if (!schema) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AgentApiError("transient", `${method} ${path.split("?")[0]}: response is not JSON`, res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AgentApiError(
        "rejected",
        `${method} ${path.split("?")[0]}: response does not match the protocol (${issue?.path.join(".")}: ${issue?.message})`,
        res.status,
      );
    }
    return parsed.data;
  }

  private failure(res: Response, text: string, method: string, path: string): AgentApiError {
    let code: string | undefined;
    let message = `${method} ${path.split("?")[0]} answered ${res.status}`;
    try {
      const body = ZErrorBody.safeParse(JSON.parse(text));
      if (body.success) {
        code = body.data.error.code;
        message = `${message}: ${body.data.error.code}: ${body.data.error.message}`;
      }
    } catch {
      // Proxies answer with HTML; the status alone is enough to decide.
    }
    if (res.status === 401) return new AgentApiError("auth", message, 401, code);
    if (res.status === 429) return new AgentApiError("rate-limited", message, 429, code, parseRetryAfter(res.headers.get("retry-after")));
    if (res.status >= 500 || res.status === 408) return new AgentApiError("transient", message, res.status, code);
    return new AgentApiError("rejected", message, res.status, code);
  }
}
