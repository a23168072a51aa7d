// Helpers for the agent API integration tests: a server on 127.0.0.1:0 called with
// fetch, a registration token of a test tenant, and valid protocol bodies.
import { randomBytes, randomUUID } from "node:crypto";
import type { ClusterInfo, HeartbeatRequest } from "../../protocol/index";
import { PROTOCOL_BASE_PATH } from "../../protocol/index";
import { tenantCtx, type TenantFixture } from "../../test/fixtures";
import { createRegistrationToken } from "../registration-tokens/create-registration-token";
import type { CreateRegistrationTokenInput } from "../registration-tokens/schema";
import { createAgentApiServer, type AgentApiOptions, type AgentApiServer } from "./server";

export interface TestApi {
  api: AgentApiServer;
  base: string;
  call(method: string, path: string, opts?: { body?: unknown; raw?: string; credential?: string; ip?: string; signal?: AbortSignal }): Promise<Response>;
}

/**
 * A public-looking source address (documentation-range IPv6, 64 random bits): every
 * test its own, so a rate-limit test never shares its per-address counter with another
 * test's enrolments.
 */
export const randomIp = () => `2001:db8::${randomBytes(8).toString("hex").match(/.{4}/g)!.join(":")}`;

export async function startTestApi(opts: AgentApiOptions = {}): Promise<TestApi> {
  const api = await createAgentApiServer({ flushIntervalMs: 0, enrolRatePerMinute: 10_000, ...opts });
  const { url } = await api.listen(0, "127.0.0.1");
  const base = url + PROTOCOL_BASE_PATH;
  return {
    api,
    base,
    call(method, path, o = {}) {
      const headers: Record<string, string> = { "x-forwarded-for": o.ip ?? randomIp() };
      if (o.credential) headers.authorization = `Bearer ${o.credential}`;
      const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
      if (body !== undefined) headers["content-type"] = "application/json";
      return fetch(base + path, { method, headers, body, signal: o.signal });
    },
  };
}

export async function makeRegistrationToken(t: TenantFixture, input: Partial<CreateRegistrationTokenInput> = {}) {
  return createRegistrationToken(tenantCtx(t), { name: `tok-${randomBytes(3).toString("hex")}`, ...input });
}

export function clusterInfo(overrides: Partial<ClusterInfo> = {}): ClusterInfo {
  return {
    uid: randomUUID(),
    kubernetesVersion: "v1.31.2",
    cni: "cilium",
    podCidrs: ["10.244.0.0/16"],
    serviceCidrs: ["10.96.0.0/12"],
    nodeCount: 3,
    gatewayEndpoints: ["198.51.100.7:51820"],
    behindNat: false,
    ...overrides,
  };
}

export function heartbeat(seq: number, overrides: Partial<HeartbeatRequest> = {}): HeartbeatRequest {
  return { seq, sentAt: new Date().toISOString(), appliedRevision: 0, components: [{ name: "agent", status: "OK" }], gateways: [], ...overrides };
}

/** Enrol a fresh cluster with a fresh single-use token; returns the 201 body. */
export async function enrol(api: TestApi, t: TenantFixture, cluster: Partial<ClusterInfo> = {}) {
  const token = await makeRegistrationToken(t);
  const res = await api.call("POST", "/register", { body: { token: token.token, cluster: clusterInfo(cluster), agentVersion: "0.1.0" } });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { clusterId: string; credential: string; leaseDurationSeconds: number };
}
