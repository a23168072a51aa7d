import { describe, expect, test } from "vitest";
import { db } from "../platform/db/client";
import { anonCaller, makeTenant, makeUser, rand, userCaller } from "../../test/fixtures";

describe("tenants", () => {
  test("a user creates a tenant, becomes its owner, and it is audited", async () => {
    const u = await makeUser();
    const slug = `acme-${rand()}`;
    const t = await userCaller(u).tenants.create({ slug, name: "Acme" });
    expect(t.slug).toBe(slug);
    const me = await userCaller(u).me.get();
    expect(me.tenants).toEqual([{ id: t.id, slug, name: "Acme", role: "OWNER" }]);
    const audit = await db().auditLog.findMany({ where: { tenantId: t.id } });
    expect(audit.map((a) => a.action)).toEqual(["tenant.create"]);
    expect(audit[0]!.actorLabel).toBe(u.email);
  });

  test("a user can belong to several tenants with different roles", async () => {
    const a = await makeTenant("multi-a");
    const b = await makeTenant("multi-b");
    await db().membership.create({ data: { tenantId: b.id, userId: a.members.VIEWER.id, role: "ADMIN" } });
    const me = await userCaller(a.members.VIEWER).me.get();
    const roles = Object.fromEntries(me.tenants.map((t) => [t.slug, t.role]));
    expect(roles).toEqual({ [a.slug]: "VIEWER", [b.slug]: "ADMIN" });
  });

  test("duplicate and malformed slugs are refused by field, and nothing is written", async () => {
    const u = await makeUser();
    const slug = `dup-${rand()}`;
    await userCaller(u).tenants.create({ slug, name: "One" });
    const before = await db().tenant.count();
    await expect(userCaller(u).tenants.create({ slug, name: "Two" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("slug") });
    await expect(userCaller(u).tenants.create({ slug: "Bad Slug!", name: "Two" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().tenant.count()).toBe(before);
    // The failed attempts left no audit rows either.
    expect(await db().auditLog.count({ where: { action: "tenant.create", diff: { path: ["name", "to"], equals: "Two" } } })).toBe(0);
  });

  test("anonymous callers cannot create tenants", async () => {
    await expect(anonCaller().tenants.create({ slug: `x-${rand()}`, name: "x" })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
