// The application inventory through the real agent API: stored once per hash, ANP
// support taken from it, an unknown or oversized body refused, and the simulated
// target's inventory accepted as it is sent by the agent.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { makeTenant, tenantCtx, type TenantFixture } from "../../test/fixtures";
import { prepareAppInventory } from "../../agent/app-inventory";
import { simulatedAppInventory } from "../../agent/targets/simulated-apps";
import { MAX_APP_INVENTORY_BYTES } from "../../protocol/app-inventory";
import { enrol, startTestApi, type TestApi } from "../agent-api/test-helpers";
import { db } from "../platform/db/client";
import { previewConnection } from "./preview";

let api: TestApi;
let a: TenantFixture;

beforeAll(async () => {
  a = await makeTenant("appinv");
  api = await startTestApi();
});
afterAll(() => api.api.close());

describe("POST /api/agent/v1/inventory", () => {
  test("a cloud site's inventory is stored with its ANP support, once per hash, and the preview sees its own NetworkPolicies", async () => {
    const { clusterId, credential } = await enrol(api, a);
    const prepared = prepareAppInventory(simulatedAppInventory("CLOUD", 7));
    if (!prepared.ok) throw new Error(prepared.reason);
    const first = await api.call("POST", "/inventory", { credential, body: prepared.report });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, changed: true });
    const again = await api.call("POST", "/inventory", { credential, body: prepared.report });
    expect(await again.json()).toEqual({ ok: true, changed: false });
    const c = await db().cluster.findFirstOrThrow({ where: { id: clusterId }, select: { name: true, adminNetworkPolicy: true, appInventoryHash: true } });
    expect(c.adminNetworkPolicy).toBe(true);

    // The payments team's own policy (seed 7 has it) decides: shop may call the ledger, a stranger may not.
    const hasLockDown = prepared.report.inventory.policies.some((p) => (p.metadata as { name: string }).name === "payments-only-from-shop");
    expect(hasLockDown).toBe(true);
    const q = (namespace: string) => ({
      query: { from: { cluster: c.name, namespace }, to: { cluster: c.name, namespace: "payments", workload: "ledger" }, protocol: "TCP" as const, port: 9090 },
    });
    const fromShop = await previewConnection(tenantCtx(a, "VIEWER"), q("shop"));
    expect(fromShop.decision).toBe("ALLOW");
    const fromOutside = await previewConnection(tenantCtx(a, "VIEWER"), q("default"));
    expect(fromOutside.decision).toBe("DENY");
    expect(fromOutside.decidedBy).toContainEqual(expect.objectContaining({ kind: "NetworkPolicy", namespace: "payments", name: "payments-only-from-shop" }));
  });

  test("a report without credential is 401; one that breaks the schema is 400 naming the field", async () => {
    expect((await api.call("POST", "/inventory", { body: {} })).status).toBe(401);
    const { credential } = await enrol(api, a);
    const bad = await api.call("POST", "/inventory", {
      credential,
      body: { hash: "0".repeat(64), inventory: { adminNetworkPolicy: "yes", namespaces: [], workloads: [], policies: [] } },
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("adminNetworkPolicy");
  });

  test("the agent does not send an inventory larger than the limit", () => {
    const huge = simulatedAppInventory("CLOUD", 1);
    huge.policies = Array.from({ length: 1500 }, (_, i) => ({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: `p-${i}`, namespace: "shop", annotations: { note: "x".repeat(200) } },
      spec: { podSelector: {} },
    }));
    const prepared = prepareAppInventory(huge);
    expect(prepared).toEqual({ ok: false, reason: expect.stringContaining(`more than ${MAX_APP_INVENTORY_BYTES}`) });
    // Order of listing does not change the hash.
    const one = prepareAppInventory(simulatedAppInventory("ONPREM", 3));
    const inv = simulatedAppInventory("ONPREM", 3);
    const two = prepareAppInventory({ ...inv, workloads: [...inv.workloads].reverse(), namespaces: [...inv.namespaces].reverse() });
    expect(one.ok && two.ok && one.report.hash === two.report.hash).toBe(true);
  });
});
