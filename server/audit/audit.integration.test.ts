import { describe, expect, test } from "vitest";
import { db } from "../platform/db/client";
import { makeCluster } from "../../test/clusters";
import { makeTenant, rand, tenantCtx, userCaller } from "../../test/fixtures";
import { systemActor } from "../platform/context";
import { listAudit } from "./list-audit";
import { writeAudit } from "./write-audit";

describe("audit log", () => {
  test("a mutation that fails after its audit row is written leaves neither the change nor the row", async () => {
    const t = await makeTenant("aud");
    const before = await db().auditLog.count({ where: { tenantId: t.id } });
    await expect(
      db().$transaction(async (tx) => {
        await tx.tenant.update({ where: { id: t.id }, data: { name: "Renamed" } });
        await writeAudit(tx, {
          tenantId: t.id,
          actor: { type: "SYSTEM", label: "test" },
          action: "tenant.update",
          targetType: "tenant",
          targetId: t.id,
          before: { name: "x" },
          after: { name: "Renamed" },
        });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db().auditLog.count({ where: { tenantId: t.id } })).toBe(before);
    expect((await db().tenant.findUnique({ where: { id: t.id } }))?.name).toBe("Tenant aud");
  });

  test("entries carry actor, action, target, diff and source address; filters and pagination work", async () => {
    const t = await makeTenant("audf");
    const admin = userCaller(t.members.ADMIN);
    for (let i = 0; i < 3; i++) await admin.apiTokens.create({ tenant: t.slug, name: `tok-${i}`, role: "VIEWER" });
    await admin.members.invite({ tenant: t.slug, email: `x-${rand()}@example.test`, role: "VIEWER" });

    const tokens = await admin.audit.list({ tenant: t.slug, action: "api-token.", limit: 2 });
    expect(tokens.items).toHaveLength(2);
    expect(tokens.items[0]).toMatchObject({ actorType: "USER", actorLabel: t.members.ADMIN.email, targetType: "api-token", sourceIp: "127.0.0.1" });
    expect(tokens.items[0]!.diff).toMatchObject({ name: { from: null, to: "tok-2" } });
    const page2 = await admin.audit.list({ tenant: t.slug, action: "api-token.", limit: 2, cursor: tokens.nextCursor! });
    expect(page2.items.map((i) => (i.diff as { name: { to: string } }).name.to)).toEqual(["tok-0"]);
    expect(page2.nextCursor).toBeNull();

    const invites = await admin.audit.list({ tenant: t.slug, action: "member.invite" });
    expect(invites.items).toHaveLength(1);
    const byActor = await admin.audit.list({ tenant: t.slug, actor: t.owner.email });
    expect(byActor.items.map((i) => i.action)).toEqual(["tenant.create"]);
  });

  test("viewers and operators cannot read the audit log", async () => {
    const t = await makeTenant("audr");
    await expect(userCaller(t.members.OPERATOR).audit.list({ tenant: t.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("rows name their targets as they are called today, a deleted one by its recorded name, and never by another tenant's name", async () => {
    const [a, b] = [await makeTenant("audn"), await makeTenant("audv")];
    const edge = await makeCluster(a.id, { name: `edge-${rand(2)}` });
    const theirs = await makeCluster(b.id, { name: `secret-${rand(2)}` });
    const admin = userCaller(a.members.ADMIN);
    // A change that leaves the name out of the diff (labels only), and the lease flipping availability.
    await userCaller(a.members.OPERATOR).clusters.update({ tenant: a.slug, id: edge.id, labels: { env: "prod" } });
    const lease = { tenantId: a.id, actor: systemActor("lease"), targetType: "cluster" };
    await db().$transaction(async (tx) => {
      await writeAudit(tx, {
        ...lease,
        action: "cluster.availability",
        targetId: edge.id,
        before: { availability: "AVAILABLE" },
        after: { availability: "UNKNOWN" },
      });
      // Tenant A's row naming tenant B's cluster id (a forged or stale id) must not learn its name.
      await writeAudit(tx, {
        ...lease,
        action: "cluster.availability",
        targetId: theirs.id,
        before: { availability: "AVAILABLE" },
        after: { availability: "UNKNOWN" },
      });
      // A slice since deleted: only its row remembers the name.
      await writeAudit(tx, { ...lease, action: "slice.delete", targetType: "slice", targetId: `gone-${rand()}`, before: { name: "old-payments" } });
    });

    const page = await admin.audit.list({ tenant: a.slug, limit: 10 });
    const named = page.items.map((i) => [i.action, i.targetName]);
    expect(named.slice(0, 4)).toEqual([
      ["slice.delete", "old-payments"],
      ["cluster.availability", null],
      ["cluster.availability", edge.name],
      ["cluster.update", edge.name],
    ]);
    expect(page.items[1]!.targetId).toBe(theirs.id);
    expect(JSON.stringify(page)).not.toContain(theirs.name);
    // The tenant is named by its name (its creation row recorded the slug too).
    expect(page.items.find((i) => i.action === "tenant.create")?.targetName).toBe("Tenant audn");

    // The overview's Recent activity reads the same service.
    const recent = await listAudit(tenantCtx(a, "ADMIN"), { limit: 8 });
    expect(recent.items.find((i) => i.action === "cluster.update")?.targetName).toBe(edge.name);
  });
});
