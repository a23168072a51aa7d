// REST (/api/v1) is generated from the tRPC procedures; these tests drive it through
// the same fetch handler the route uses, with real bearer tokens.
import { createOpenApiFetchHandler } from "trpc-to-openapi";
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, tokenCaller, type TenantFixture } from "../../test/fixtures";
import { createRequestContext } from "./context";
import { openApiDocument } from "./openapi";
import { appRouter } from "./root";

function rest(method: string, path: string, token?: string, body?: unknown) {
  const headers = new Headers({ "content-type": "application/json" });
  if (token) headers.set("authorization", `Bearer ${token}`);
  const req = new Request(`http://localhost/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return createOpenApiFetchHandler({ endpoint: "/api/v1", router: appRouter, req, createContext: () => createRequestContext({ headers: req.headers, getSessionUser: async () => null }) });
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

  test("bad input is 400 and names the field", async () => {
    const res = await rest("POST", "/api-tokens", token, { name: "", role: "KING" });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/role|name/);
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
    expect(Object.keys(doc.paths ?? {})).toEqual(expect.arrayContaining(["/me", "/members", "/api-tokens", "/api-tokens/{id}", "/audit", "/slices", "/slices/{id}", "/slices/{id}/links", "/slices/import", "/slices/suggest-subnet", "/slices/{id}/export"]));
    expect(doc.components?.securitySchemes).toHaveProperty("bearerAuth");
  });
});
