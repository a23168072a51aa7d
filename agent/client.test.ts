import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentApiError, AgentClient, parseRetryAfter } from "./client";

// Answers each request with whatever the test queued for its path.
let server: http.Server;
let base = "";
const replies = new Map<string, { status: number; body?: unknown; headers?: Record<string, string> }>();
const seen: Array<{ url: string; auth?: string }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", auth: req.headers.authorization });
    const r = replies.get((req.url ?? "").split("?")[0]!) ?? { status: 404 };
    res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
    res.end(r.body === undefined ? undefined : typeof r.body === "string" ? r.body : JSON.stringify(r.body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const client = () => new AgentClient({ serverUrl: base + "/", timeoutMs: 2000 });
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e) => e as AgentApiError,
  );
const beat = { seq: 1, sentAt: new Date().toISOString(), appliedRevision: 0, components: [], gateways: [] };

describe("AgentClient", () => {
  it("sends the credential as a bearer token and validates the answer", async () => {
    replies.set("/api/agent/v1/heartbeat", { status: 200, body: { desiredRevision: 3, leaseDurationSeconds: 15, serverTime: "now" } });
    expect(await client().heartbeat("isa_x.y", beat)).toEqual({ desiredRevision: 3, leaseDurationSeconds: 15, serverTime: "now" });
    expect(seen.at(-1)).toMatchObject({ url: "/api/agent/v1/heartbeat", auth: "Bearer isa_x.y" });
  });

  it("returns null on 204 from the long-poll and passes after/waitSeconds", async () => {
    replies.set("/api/agent/v1/config", { status: 204 });
    expect(await client().config("c", 4, 0)).toBeNull();
    expect(seen.at(-1)!.url).toBe("/api/agent/v1/config?after=4&waitSeconds=0");
  });

  it("classifies 401 as auth, with the server's error code", async () => {
    replies.set("/api/agent/v1/register", { status: 401, body: { error: { code: "TOKEN_EXPIRED", message: "expired" } } });
    const err = await failure(
      client().register({
        token: "t",
        agentVersion: "1",
        cluster: { uid: "u", kubernetesVersion: "v", cni: "c", podCidrs: [], serviceCidrs: [], nodeCount: 1, gatewayEndpoints: [], behindNat: true },
      }),
    );
    expect(err).toMatchObject({ kind: "auth", status: 401, code: "TOKEN_EXPIRED" });
  });

  it("honours Retry-After on 429", async () => {
    replies.set("/api/agent/v1/heartbeat", { status: 429, body: { error: { code: "RATE_LIMITED", message: "slow down" } }, headers: { "retry-after": "7" } });
    expect(await failure(client().heartbeat("c", beat))).toMatchObject({ kind: "rate-limited", retryAfterMs: 7000 });
  });

  it("treats 5xx, HTML error pages and a refused connection as transient", async () => {
    replies.set("/api/agent/v1/ack", { status: 502, body: "<html>bad gateway</html>" });
    expect(await failure(client().ack("c", { revision: 1, hash: "h", status: "APPLIED" }))).toMatchObject({ kind: "transient", status: 502 });
    const dead = new AgentClient({ serverUrl: "http://127.0.0.1:1", timeoutMs: 2000 });
    expect(await failure(dead.heartbeat("c", beat))).toMatchObject({ kind: "transient" });
  });

  it("rejects an answer that breaks the protocol", async () => {
    replies.set("/api/agent/v1/heartbeat", { status: 200, body: { desiredRevision: "three" } });
    expect(await failure(client().heartbeat("c", beat))).toMatchObject({ kind: "rejected" });
  });

  it("aborts a held long-poll when the caller's signal fires", async () => {
    const hold = http.createServer(() => {}); // never answers
    await new Promise<void>((r) => hold.listen(0, "127.0.0.1", r));
    const c = new AgentClient({ serverUrl: `http://127.0.0.1:${(hold.address() as AddressInfo).port}` });
    const ac = new AbortController();
    const pending = c.config("c", 0, 30, ac.signal);
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    hold.closeAllConnections();
    await new Promise((r) => hold.close(r));
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
