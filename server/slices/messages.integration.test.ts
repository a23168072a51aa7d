// Field errors of a slice name clusters exactly as they are named (and as they were
// typed): never by id, never rewritten, over REST (problem details), tRPC and the
// wizard's preview alike.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, tokenCaller, type TenantFixture } from "../../test/fixtures";
import { createRequestContext } from "../trpc/context";
import { handleRest } from "../trpc/rest-handler";
import { previewSlice } from "./preview-slice";

let t: TenantFixture;
let token: string;
let nat: Array<{ id: string; name: string }>;
let hub: { id: string; name: string };

const createContext = (req: Request) => createRequestContext({ headers: req.headers, getSessionUser: async () => null });
async function post(path: string, body: unknown) {
  const req = new Request(`http://localhost/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const res = await handleRest(req, { createContext });
  return { status: res.status, type: res.headers.get("content-type"), body: (await res.json()) as { detail?: string; errors?: Record<string, string[]> } };
}

beforeAll(async () => {
  t = await makeTenant("slice-words");
  token = (await tokenCaller(t, "OPERATOR")).token;
  const id = rand(2);
  // Two sites that can only dial out, and one reachable cluster.
  nat = [
    await makeCluster(t.id, { name: `kiosk-${id}`, siteType: "EDGE", behindNat: true }),
    await makeCluster(t.id, { name: `edge-${id}`, siteType: "EDGE", behindNat: true }),
  ];
  hub = await makeCluster(t.id, { name: `dc-${id}` });
});

describe("slice messages name clusters as they are named", () => {
  test("REST: two NATed members in a full mesh — the topology error names both, as named, and no cluster id", async () => {
    const [x, y] = [...nat].sort((a, b) => (a.name < b.name ? -1 : 1));
    const res = await post("/slices", { name: "nat-mesh", subnet: "192.168.0.0/16", members: [nat[0]!.name, nat[1]!.name, hub.name] });
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/problem\+json/);
    const expected = `the link between ${x!.name} and ${y!.name} cannot be made: both are behind NAT, so neither can accept the other's tunnel; use a hub-and-spoke topology through a hub that is not behind NAT and has a gateway endpoint`;
    expect(res.body.errors?.topology).toEqual([expected]);
    expect(res.body.detail).toContain(expected);
    const text = JSON.stringify(res.body);
    for (const c of [...nat, hub]) expect(text).not.toContain(c.id);
  });

  test("REST and the preview: a member typed in capitals is quoted exactly as typed", async () => {
    const typed = nat[0]!.name.toUpperCase();
    const res = await post("/slices", { name: "typed", subnet: "192.168.0.0/16", members: [typed, hub.name] });
    expect(res.status).toBe(400);
    const messages = Object.values(res.body.errors ?? {}).flat();
    expect(messages).toContain(
      `members entry "${typed}" must be a DNS-1123 label, as cluster names are: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    );

    const preview = await previewSlice(tenantCtx(t, "VIEWER"), { spec: { name: "typed", subnet: "192.168.0.0/16", members: [typed, hub.name] } });
    expect(preview.fieldErrors["members.0"]).toEqual([expect.stringContaining(`"${typed}"`)]);
  });

  test("the preview: an unknown member, and a hub that is not a member, are named as given", async () => {
    const ctx = tenantCtx(t, "VIEWER");
    const unknown = await previewSlice(ctx, { spec: { name: "lost", subnet: "192.168.0.0/16", members: [nat[0]!.name, "nowhere-1"] } });
    expect(unknown.fieldErrors.members).toEqual(["unknown cluster: nowhere-1"]);
    const stray = await previewSlice(ctx, {
      spec: { name: "hubby", subnet: "192.168.0.0/16", members: [nat[0]!.name, nat[1]!.name], topology: { kind: "HUB_SPOKE", hubs: [hub.name] } },
    });
    expect(stray.fieldErrors["topology.hubs.0"]).toEqual([`topology.hubs names cluster ${hub.name}, which is not a member of the slice`]);
  });

  test("hub and spoke through the reachable cluster plans both NATed sites as its clients, with no error", async () => {
    const preview = await previewSlice(tenantCtx(t, "VIEWER"), {
      spec: { name: "hubbed", subnet: "192.168.0.0/16", members: [nat[0]!.name, nat[1]!.name, hub.name], topology: { kind: "HUB_SPOKE", hubs: [hub.name] } },
    });
    expect(preview.fieldErrors).toEqual({});
    expect(preview.links.map((l) => l.serverClusterId)).toEqual([hub.id, hub.id]);
  });
});
