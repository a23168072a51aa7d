import { describe, expect, it } from "vitest";
import { db } from "../platform/db/client";
import { makeTenant, makeUser, tenantCtx } from "../../test/fixtures";
import { addMember } from "./add-member";

describe("addMember", () => {
  it("adds an existing account with a role and writes the audit row", async () => {
    const t = await makeTenant("addm");
    const u = await makeUser("addm-new");
    const added = await addMember(tenantCtx(t, "ADMIN"), { email: u.email.toUpperCase(), role: "OPERATOR" });
    expect(added).toEqual({ userId: u.id, email: u.email, role: "OPERATOR" });
    const m = await db().membership.findUnique({ where: { tenantId_userId: { tenantId: t.id, userId: u.id } } });
    expect(m?.role).toBe("OPERATOR");
    const audit = await db().auditLog.findFirst({ where: { tenantId: t.id, action: "member.add", targetId: u.id } });
    expect(audit).toMatchObject({ actorType: "USER", actorId: t.members.ADMIN.id });
  });

  it("is a CONFLICT for an existing member and changes nothing", async () => {
    const t = await makeTenant("addm");
    await expect(addMember(tenantCtx(t), { email: t.members.VIEWER.email, role: "ADMIN" })).rejects.toMatchObject({ code: "CONFLICT" });
    const m = await db().membership.findUnique({ where: { tenantId_userId: { tenantId: t.id, userId: t.members.VIEWER.id } } });
    expect(m?.role).toBe("VIEWER");
    expect(await db().auditLog.count({ where: { tenantId: t.id, action: "member.add" } })).toBe(0);
  });

  it("needs an account, ADMIN to add, OWNER to grant OWNER, and a known role", async () => {
    const t = await makeTenant("addm");
    const u = await makeUser("addm-x");
    await expect(addMember(tenantCtx(t), { email: "nobody-here@example.test", role: "VIEWER" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: expect.stringContaining("no account"),
    });
    await expect(addMember(tenantCtx(t, "OPERATOR"), { email: u.email, role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addMember(tenantCtx(t, "ADMIN"), { email: u.email, role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(addMember(tenantCtx(t), { email: u.email, role: "KING" as never })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("role"),
    });
    expect(await db().membership.count({ where: { tenantId: t.id, userId: u.id } })).toBe(0);
  });
});
