import { describe, expect, test } from "vitest";
import { db } from "../platform/db/client";
import { PASSWORD, anonCaller, makeTenant, makeUser, rand, userCaller } from "../../test/fixtures";

const tokenOf = (link: string) => decodeURIComponent(link.split("/invite/")[1]!);

describe("members and invites", () => {
  test("an admin invites by email; the invitee creates an account through the link and joins with that role", async () => {
    const t = await makeTenant("inv");
    const email = `new-${rand()}@example.test`;
    const invite = await userCaller(t.members.ADMIN).members.invite({ tenant: t.slug, email, role: "OPERATOR" });
    expect(invite.link).toMatch(/\/invite\/isi_/);
    const described = await anonCaller().invites.describe({ token: tokenOf(invite.link) });
    expect(described).toMatchObject({ email, role: "OPERATOR", tenantSlug: t.slug, hasAccount: false });
    const accepted = await anonCaller().invites.accept({ token: tokenOf(invite.link), newAccount: { name: "New", password: PASSWORD } });
    expect(accepted).toMatchObject({ tenantSlug: t.slug, role: "OPERATOR" });
    const members = await userCaller(t.members.VIEWER).members.list({ tenant: t.slug });
    expect(members.items.find((m) => m.email === email)?.role).toBe("OPERATOR");
    // An invite works once.
    await expect(anonCaller().invites.accept({ token: tokenOf(invite.link), newAccount: { password: PASSWORD } })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
    const actions = (await db().auditLog.findMany({ where: { tenantId: t.id }, orderBy: { createdAt: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["member.invite", "member.join"]));
  });

  test("a signed-in user accepts only an invite addressed to their email", async () => {
    const t = await makeTenant("inv2");
    const invited = await makeUser("invited");
    const other = await makeUser("other");
    const invite = await userCaller(t.owner).members.invite({ tenant: t.slug, email: invited.email, role: "VIEWER" });
    await expect(userCaller(other).invites.accept({ token: tokenOf(invite.link) })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(userCaller(invited).invites.accept({ token: tokenOf(invite.link) })).resolves.toMatchObject({ role: "VIEWER" });
  });

  test("revoked, expired and forged invites are refused with a reason", async () => {
    const t = await makeTenant("inv3");
    const a = await userCaller(t.owner).members.invite({ tenant: t.slug, email: `a-${rand()}@example.test`, role: "VIEWER" });
    await userCaller(t.owner).members.revokeInvite({ tenant: t.slug, id: a.id });
    await expect(anonCaller().invites.describe({ token: tokenOf(a.link) })).rejects.toMatchObject({ message: expect.stringContaining("revoked") });
    const b = await userCaller(t.owner).members.invite({ tenant: t.slug, email: `b-${rand()}@example.test`, role: "VIEWER" });
    await db().invite.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(anonCaller().invites.describe({ token: tokenOf(b.link) })).rejects.toMatchObject({ message: expect.stringContaining("expired") });
    const forged = tokenOf(b.link).replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    await expect(anonCaller().invites.describe({ token: forged })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  test("only owners grant or touch the OWNER role; admins manage the rest", async () => {
    const t = await makeTenant("roles");
    const admin = userCaller(t.members.ADMIN);
    await expect(admin.members.invite({ tenant: t.slug, email: `o-${rand()}@example.test`, role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.members.updateRole({ tenant: t.slug, userId: t.owner.id, role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(admin.members.updateRole({ tenant: t.slug, userId: t.members.OPERATOR.id, role: "VIEWER" })).resolves.toMatchObject({ role: "VIEWER" });
    await expect(userCaller(t.members.VIEWER).members.updateRole({ tenant: t.slug, userId: t.members.OPERATOR.id, role: "ADMIN" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  test("the last owner cannot be removed or demoted, and the failed attempt leaves no audit row", async () => {
    const t = await makeTenant("last");
    const owner = userCaller(t.owner);
    const auditBefore = await db().auditLog.count({ where: { tenantId: t.id } });
    await expect(owner.members.updateRole({ tenant: t.slug, userId: t.owner.id, role: "ADMIN" })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringContaining("last owner"),
    });
    await expect(owner.members.remove({ tenant: t.slug, userId: t.owner.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    expect(await db().auditLog.count({ where: { tenantId: t.id } })).toBe(auditBefore);
    expect((await db().membership.findFirst({ where: { tenantId: t.id, userId: t.owner.id } }))?.role).toBe("OWNER");
    // With a second owner, the first may step down.
    await owner.members.updateRole({ tenant: t.slug, userId: t.members.ADMIN.id, role: "OWNER" });
    await expect(owner.members.updateRole({ tenant: t.slug, userId: t.owner.id, role: "ADMIN" })).resolves.toMatchObject({ role: "ADMIN" });
    const audit = await db().auditLog.findFirst({ where: { tenantId: t.id, action: "member.role.update", targetId: t.owner.id } });
    expect(audit?.diff).toEqual({ role: { from: "OWNER", to: "ADMIN" } });
  });

  test("a member can leave; removing someone else needs ADMIN", async () => {
    const t = await makeTenant("leave");
    await expect(userCaller(t.members.VIEWER).members.remove({ tenant: t.slug, userId: t.members.OPERATOR.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(userCaller(t.members.VIEWER).members.remove({ tenant: t.slug, userId: t.members.VIEWER.id })).resolves.toEqual({ ok: true });
    await expect(userCaller(t.members.VIEWER).members.list({ tenant: t.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
