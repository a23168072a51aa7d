// Hostile input on the agent protocol: numbers beyond what the columns hold, and
// oversized bodies both straight to the agent API and through the console's
// /api/agent/* rewrite, which Next.js serves with its own HTTP proxy.
import { createServer, request as httpRequest, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { parse as parseUrl } from "node:url";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { proxy } from "../../proxy";
import { MAX_BODY_BYTES, PROTOCOL_BASE_PATH } from "../../protocol/index";
import { makeTenant, type TenantFixture } from "../../test/fixtures";
import { enrol, heartbeat, startTestApi, type TestApi } from "./test-helpers";

// What Next.js 16's router server does with a rewrite to an external URL (next.config.js
// rewrites /api/agent/* to the agent API): the body is cloned through a stream capped at
// experimental.proxyClientMaxBodySize, then proxyRequest forwards it.
const nextRequire = createRequire(import.meta.url);
const { proxyRequest } = nextRequire("next/dist/server/lib/router-utils/proxy-request.js") as {
  proxyRequest: (req: unknown, res: unknown, parsedUrl: unknown, upgradeHead?: unknown, reqBody?: unknown, proxyTimeout?: number | null) => Promise<unknown>;
};
const { getCloneableBody } = nextRequire("next/dist/server/body-streams.js") as {
  getCloneableBody: (req: unknown, limit?: number) => { cloneBodyStream(): unknown };
};
const nextConfigUrl: string = new URL("../../next.config.js", import.meta.url).href;
const nextConfig = (await import(nextConfigUrl)).default as { experimental?: { proxyClientMaxBodySize?: number } };

let api: TestApi;
let t: TenantFixture;
let rewrite: Server;
let rewriteBase: string;

beforeAll(async () => {
  api = await startTestApi();
  t = await makeTenant("agent-hostile");
  const upstream = new URL(api.base).origin;
  rewrite = createServer(async (req, res) => {
    // proxy.ts runs first (its matcher includes /api/agent/*), then the rewrite.
    const early = proxy(new NextRequest(`http://localhost${req.url}`, { method: req.method, headers: req.headers as Record<string, string> }));
    if (early.status !== 200) {
      res.writeHead(early.status, Object.fromEntries(early.headers));
      res.end(await early.text());
      req.destroy();
      return;
    }
    const body = getCloneableBody(req, nextConfig.experimental?.proxyClientMaxBodySize);
    void proxyRequest(req, res, parseUrl(upstream + req.url!, true), undefined, body.cloneBodyStream(), 30_000).catch(() => {});
  });
  await new Promise<void>((r) => rewrite.listen(0, "127.0.0.1", r));
  rewriteBase = `http://127.0.0.1:${(rewrite.address() as AddressInfo).port}${PROTOCOL_BASE_PATH}`;
});

afterAll(async () => {
  await new Promise((r) => rewrite.close(r));
  await api.api.close();
});

/** POST `bytes` bytes of JSON-ish body with node:http (so the body may be chunked, without Content-Length). */
function post(url: string, bytes: number, opts: { chunked: boolean; credential?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (opts.credential) headers.authorization = `Bearer ${opts.credential}`;
    if (!opts.chunked) headers["content-length"] = String(bytes);
    const req = httpRequest(url, { method: "POST", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
      res.on("error", reject);
    });
    // A write error after the answer came is the server closing early: the answer counts.
    req.on("error", (err) => reject(err));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        const n = Math.min(chunk.length, bytes - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe("agent protocol hostile input", () => {
  test("an ack revision, a heartbeat's appliedRevision or a poll's `after` above int4 is 400 in the protocol's error shape", async () => {
    const { credential } = await enrol(api, t);
    const ack = await api.call("POST", "/ack", { credential, body: { revision: 2 ** 31, hash: "x", status: "APPLIED" } });
    expect(ack.status).toBe(400);
    const body = await ack.json();
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.message).toMatch(/revision/);
    const hb = await api.call("POST", "/heartbeat", { credential, body: heartbeat(1, { appliedRevision: 2 ** 31 }) });
    expect(hb.status).toBe(400);
    expect((await hb.json()).error.message).toMatch(/appliedRevision/);
    const poll = await api.call("GET", `/config?after=${2 ** 31}`, { credential });
    expect(poll.status).toBe(400);
  });

  for (const [via, base] of [
    ["straight to the agent API", () => api.base],
    ["through the console's rewrite proxy", () => rewriteBase],
  ] as const) {
    for (const [size, chunked] of [
      [2, false],
      [2, true],
      [20, false],
      [20, true],
    ] as const) {
      test(`a ${size} MiB body ${via}${chunked ? ", chunked" : ""} is 413 PAYLOAD_TOO_LARGE`, async () => {
        const { credential } = await enrol(api, t);
        const res = await post(`${base()}/heartbeat`, size * MAX_BODY_BYTES, { chunked, credential });
        expect(res.status).toBe(413);
        expect(JSON.parse(res.body)).toEqual({ error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("1 MiB") } });
      });
    }
  }
});
