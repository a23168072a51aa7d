// Row-level security: inside a tenant scope a query without any tenant filter sees only
// that tenant's rows, writes of another tenant's rows are refused, and outside a scope
// (agent API, flush, lease evaluation) nothing is restricted.
import { beforeAll, describe, expect, test } from "vitest";
import { makeCluster } from "../../../test/clusters";
import { makeTenant, userCaller, type TenantFixture } from "../../../test/fixtures";
import { db } from "./client";
import { withTenantScope } from "./tenant-scope";

let a: TenantFixture;
let b: TenantFixture;
let foreignId: string;

beforeAll(async () => {
  [a, b] = await Promise.all([makeTenant("rls-a"), makeTenant("rls-b")]);
  await makeCluster(a.id, { name: "rls-mine" });
  foreignId = (await makeCluster(b.id, { name: "rls-theirs" })).id;
});

describe("inside a tenant scope", () => {
  test("a query that forgets its tenant filter returns no foreign rows", async () => {
    const names = await withTenantScope(a.id, () => db().cluster.findMany({ select: { name: true, tenantId: true } }));
    expect(names.map((c) => c.name)).toEqual(["rls-mine"]);
    expect(new Set(names.map((c) => c.tenantId))).toEqual(new Set([a.id]));
    // Looking a foreign row up by its id finds nothing either.
    expect(await withTenantScope(a.id, () => db().cluster.findUnique({ where: { id: foreignId } }))).toBeNull();
    const tenants = await withTenantScope(a.id, () => db().tenant.findMany({ select: { id: true } }));
    expect(tenants).toEqual([{ id: a.id }]);
  });

  test("the same holds inside an interactive transaction", async () => {
    const count = await withTenantScope(a.id, () => db().$transaction((tx) => tx.cluster.count()));
    expect(count).toBe(1);
  });

  test("updates and deletes of another tenant's rows change nothing; inserts for it are refused", async () => {
    const updated = await withTenantScope(a.id, () => db().cluster.updateMany({ where: { id: foreignId }, data: { name: "stolen" } }));
    expect(updated.count).toBe(0);
    const deleted = await withTenantScope(a.id, () => db().cluster.deleteMany({ where: { id: foreignId } }));
    expect(deleted.count).toBe(0);
    await expect(withTenantScope(a.id, () => db().event.create({ data: { tenantId: b.id, type: "x", message: "planted" } }))).rejects.toThrow();
    expect(await db().cluster.findUnique({ where: { id: foreignId }, select: { name: true } })).toEqual({ name: "rls-theirs" });
    expect(await db().event.count({ where: { tenantId: b.id, message: "planted" } })).toBe(0);
  });

  test("scopes interleaved on one pool never leak into each other", async () => {
    const runs = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const t = i % 2 ? a : b;
        return withTenantScope(t.id, () => db().cluster.findMany({ select: { tenantId: true } })).then(
          (rows) => rows.every((r) => r.tenantId === t.id) && rows.length === 1,
        );
      }),
    );
    expect(runs.every(Boolean)).toBe(true);
    // Outside a scope, a pooled connection that served a tenant is unrestricted again.
    const all = await db().cluster.count({ where: { tenantId: { in: [a.id, b.id] } } });
    expect(all).toBe(2);
  });

  test("a malformed tenant id never reaches the database", async () => {
    await expect(withTenantScope("x'; RESET ROLE; --", () => 1)).rejects.toThrow(/not a tenant id/);
  });
});

describe("tenant procedures run scoped", () => {
  test("the console's cluster list of one tenant holds only its clusters", async () => {
    const page = await userCaller(a.members.VIEWER).clusters.list({ tenant: a.slug });
    expect(page.items.map((c) => c.name)).toEqual(["rls-mine"]);
  });
});
