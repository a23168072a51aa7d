// REST (/api/v1) is generated from the tRPC procedures; these tests drive it through
// the same handler the route uses, with real bearer tokens.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tokenCaller, type TenantFixture } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { createRequestContext } from "./context";
import { openApiDocument } from "./openapi";
import { handleRest } from "./rest-handler";

const createContext = (req: Request) => createRequestContext({ headers: req.headers, getSessionUser: async () => null });

function rest(method: string, path: string, token?: string, body?: unknown) {
  return restRaw(method, path, token, body === undefined ? undefined : JSON.stringify(body));
}

function restRaw(method: string, path: string, token?: string, body?: BodyInit, headers: Record<string, string> = {}) {
  const h = new Headers({ "content-type": "application/json", ...headers });
  if (token) h.set("authorization", `Bearer ${token}`);
  const req = new Request(`http://localhost/api/v1${path}`, { method, headers: h, body, duplex: "half" } as RequestInit);
  return handleRest(req, { createContext });
}

/** A body of `bytes` bytes sent as a stream, without Content-Length. */
function streamedBody(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent >= bytes) return c.close();
      sent += chunk.byteLength;
      c.enqueue(chunk);
    },
  });
}

async function problem(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const text = await res.text();
  // Never an internal name or a database message.
  expect(text).not.toMatch(/prisma|Invalid `|P20\d\d|\bat .+\.(ts|js):\d|"path"|slices\.|apiTokens\.|audit\.list|clusters\.list/i);
  const body = JSON.parse(text) as { type: string; title: string; status: number; detail: string; instance?: string; errors?: Record<string, string[]> };
  expect(body).toMatchObject({
    type: expect.stringMatching(/^urn:isthmus:problem:/),
    title: expect.any(String),
    status: res.status,
    detail: expect.any(String),
  });
  return body;
}

let a: TenantFixture;
let token: string;
beforeAll(async () => {
  a = await makeTenant("rest");
  token = (await tokenCaller(a, "ADMIN")).token;
});

describe("REST /api/v1", () => {
  test("GET /me with an API token names the token's tenant", async () => {
    const res = await rest("GET", "/me", token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ kind: "apiToken", tenants: [{ slug: a.slug, role: "ADMIN" }] });
  });

  test("no token is 401, a bad token is 401", async () => {
    expect((await rest("GET", "/me")).status).toBe(401);
    expect((await rest("GET", "/me", "ist_bogus.bogus")).status).toBe(401);
  });

  test("members, API tokens and the audit log over REST", async () => {
    const members = await (await rest("GET", "/members", token)).json();
    expect(members.items).toHaveLength(4);
    const created = await rest("POST", "/api-tokens", token, { name: "rest-made", role: "VIEWER", expiresInDays: 7 });
    expect(created.status).toBe(200);
    const body = await created.json();
    expect(body.token).toMatch(/^ist_/);
    expect((await rest("DELETE", `/api-tokens/${body.id}`, token)).status).toBe(200);
    const audit = await (await rest("GET", "/audit?action=api-token.", token)).json();
    expect(audit.items.map((i: { action: string }) => i.action).slice(0, 2)).toEqual(["api-token.revoke", "api-token.create"]);
    expect(audit.items[0].actorType).toBe("API_TOKEN");
  });

  test("bad input is 400 problem details with the rule per field", async () => {
    const res = await rest("POST", "/api-tokens", token, { name: "", role: "KING" });
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.type).toBe("urn:isthmus:problem:validation");
    expect(body.instance).toBe("/api/v1/api-tokens");
    expect(Object.keys(body.errors ?? {})).toEqual(expect.arrayContaining(["name", "role"]));
  });

  test("every error is problem details: unknown path, no token, malformed JSON, wrong content type", async () => {
    expect((await problem(await rest("GET", "/nowhere", token))).status).toBe(404);
    expect((await problem(await rest("GET", "/me"))).status).toBe(401);
    const malformed = await problem(await restRaw("POST", "/api-tokens", token, '{"name": "x",'));
    expect(malformed).toMatchObject({ status: 400, detail: "body: is not valid JSON" });
    expect((await problem(await restRaw("POST", "/api-tokens", token, "name=x", { "content-type": "text/plain" }))).status).toBe(415);
  });

  test("NUL and unpaired surrogates in any text field are 400 naming the field, in body, path and query", async () => {
    const [x] = [await makeCluster(a.id)];
    const nul = await rest("POST", "/slices", token, { name: "nul-slice", description: "a\u0000b", subnet: "10.91.0.0/16", members: [x.name] });
    expect(nul.status).toBe(400);
    expect((await problem(nul)).errors).toEqual({ description: ["must not contain NUL or unpaired surrogate characters"] });
    const lone = await rest("POST", "/api-tokens", token, { name: "half \ud800 pair", role: "VIEWER", expiresInDays: 7 });
    expect(lone.status).toBe(400);
    expect((await problem(lone)).errors).toHaveProperty("name");
    const nested = await rest("POST", "/slices", token, { name: "nested-nul", subnet: "10.92.0.0/16", members: [x.name, "b\u0000"] });
    expect((await problem(nested)).errors).toHaveProperty(["members.1"]);
    const inQuery = await rest("GET", "/audit?action=%00", token);
    expect((await problem(inQuery)).errors).toHaveProperty("action");
    expect(await db().slice.count({ where: { tenantId: a.id, name: { in: ["nul-slice", "nested-nul"] } } })).toBe(0);
  });

  test("a body over 1 MiB is 413 problem details, declared or streamed", async () => {
    const big = JSON.stringify({ yaml: "x".repeat(20 * 1024 * 1024) });
    const declared = await restRaw("POST", "/slices/import", token, big, { "content-length": String(big.length) });
    expect(declared.status).toBe(413);
    expect((await problem(declared)).type).toBe("urn:isthmus:problem:payload-too-large");
    const streamed = await restRaw("POST", "/slices/import", token, streamedBody(20 * 1024 * 1024));
    expect(streamed.status).toBe(413);
    await problem(streamed);
    // Just under the cap still reaches the procedure (and fails its own validation).
    const under = await restRaw("POST", "/slices/import", token, JSON.stringify({ yaml: "x".repeat(1000 * 1000) }));
    expect(under.status).toBe(400);
  });

  test("hostile KubeSlice YAML is 400 naming the document: billion laughs, too many documents, NUL by escape", async () => {
    const laughs = [
      "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]",
      ..."bcdefghi".split("").map((k, i) => `${k}: &${k} [${Array(9).fill(`*${"abcdefghi"[i]}`).join(", ")}]`),
    ].join("\n");
    const bomb = await rest("POST", "/slices/import", token, {
      yaml: `apiVersion: controller.kubeslice.io/v1alpha1\nkind: SliceConfig\nmetadata: {name: lol}\nspec:\n${laughs.replace(/^/gm, "  ")}\n`,
    });
    expect(bomb.status).toBe(400);
    expect((await problem(bomb)).errors?.yaml?.join()).toMatch(/document 1: uses aliases/);
    const many = await rest("POST", "/slices/import", token, { yaml: "---\na: 1\n".repeat(5000) });
    expect((await problem(many)).errors?.yaml?.join()).toMatch(/at most 200/);
    const escaped = await rest("POST", "/slices/import", token, {
      yaml: `apiVersion: controller.kubeslice.io/v1alpha1\nkind: SliceConfig\nmetadata: {name: nul, annotations: {isthmus.io/description: "a\\0b"}}\nspec: {sliceSubnet: 10.94.0.0/16, clusters: []}\n`,
    });
    expect(escaped.status).toBe(400);
    expect((await problem(escaped)).errors?.yaml?.join()).toMatch(/metadata\.annotations\.isthmus\.io\/description: must not contain NUL/);
  });

  test("a cursor naming another tenant's row answers exactly as an unknown cursor", async () => {
    const b = await makeTenant("rest-cur");
    const foreignCluster = await makeCluster(b.id, { name: "zz-foreign" });
    const foreignAudit = await db().auditLog.findFirstOrThrow({ where: { tenantId: b.id }, select: { id: true } });
    await makeCluster(a.id, { name: "zz-mine-after" });
    for (const [path, foreign] of [
      ["/clusters?limit=5&cursor=", foreignCluster.id],
      ["/audit?limit=5&cursor=", foreignAudit.id],
    ] as const) {
      const unknown = await rest("GET", `${path}c0ffee0000000000000000000`, token);
      const theirs = await rest("GET", `${path}${foreign}`, token);
      expect(theirs.status).toBe(unknown.status);
      const [u, t] = [await unknown.json(), await theirs.json()];
      expect(t).toEqual(u);
      expect(theirs.status).toBe(400);
      expect(t.errors).toHaveProperty("cursor");
    }
  });

  test("another tenant named explicitly is 404", async () => {
    const b = await makeTenant("rest-b");
    expect((await rest("GET", `/members?tenant=${b.slug}`, token)).status).toBe(404);
  });

  test("slices over REST: create, members with shares, links, suggest-subnet, import", async () => {
    const [x, y] = [await makeCluster(a.id), await makeCluster(a.id, { behindNat: true })];
    const created = await rest("POST", "/slices", token, { name: "rest-slice", subnet: "10.77.0.0/16", members: [x.name, y.name] });
    expect(created.status).toBe(200);
    const { id } = await created.json();
    const slice = await (await rest("GET", `/slices/${id}`, token)).json();
    expect(slice.members).toEqual([
      expect.objectContaining({ clusterId: x.id, clusterName: x.name, index: 0, subnet: "10.77.0.0/21" }),
      expect.objectContaining({ clusterId: y.id, clusterName: y.name, index: 1, subnet: "10.77.8.0/21" }),
    ]);
    const links = await (await rest("GET", `/slices/${id}/links`, token)).json();
    expect(links.items).toEqual([expect.objectContaining({ serverClusterId: x.id, clientClusterId: y.id, status: "UNKNOWN" })]);
    const suggested = await (await rest("POST", "/slices/suggest-subnet", token, {})).json();
    expect(suggested.subnet).not.toBe("10.77.0.0/16");
    const bad = await rest("PATCH", `/slices/${id}`, token, { subnet: "10.78.0.0/16" });
    expect(bad.status).toBe(400);
    const imported = await rest("POST", "/slices/import", token, {
      yaml: `apiVersion: controller.kubeslice.io/v1alpha1\nkind: SliceConfig\nmetadata: {name: rest-imported}\nspec:\n  sliceSubnet: 10.79.0.0/16\n  clusters: [${x.name}, ${y.name}]\n  sliceIpamType: Local\n`,
    });
    const body = await imported.json();
    expect(body.slices).toEqual([expect.objectContaining({ name: "rest-imported" })]);
    expect(body.ignoredFields).toEqual(expect.arrayContaining([expect.stringContaining("sliceIpamType")]));
  });

  test("the OpenAPI document lists the paths with bearer auth", () => {
    const doc = openApiDocument("http://localhost/api/v1");
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths ?? {})).toEqual(
      expect.arrayContaining([
        "/me",
        "/members",
        "/api-tokens",
        "/api-tokens/{id}",
        "/audit",
        "/slices",
        "/slices/{id}",
        "/slices/{id}/links",
        "/slices/import",
        "/slices/suggest-subnet",
        "/slices/{id}/export",
      ]),
    );
    expect(doc.components?.securitySchemes).toHaveProperty("bearerAuth");
  });

  test("the OpenAPI document describes errors as problem details on every operation", () => {
    const doc = openApiDocument("http://localhost/api/v1") as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.components.schemas.Problem).toMatchObject({ required: ["type", "title", "status", "detail"] });
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const errors = Object.entries(op.responses).filter(([status]) => /^[45]/.test(status) || status === "default");
        expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [status, r] of errors)
          expect(r.content?.["application/problem+json"]?.schema?.$ref, `${method} ${path} ${status}`).toBe("#/components/schemas/Problem");
      }
    }
  });
});
