import { describe, expect, test } from "vitest";
import { systemActor } from "../platform/context";
import { db } from "../platform/db/client";
import { createRequestContext } from "../trpc/context";
import { createCaller } from "../trpc/root";
import { makeTenant, userCaller } from "../../test/fixtures";
import { createApiToken } from "./api-tokens";

const viaBearer = async (token: string) =>
  createCaller(await createRequestContext({ headers: new Headers({ authorization: `Bearer ${token}` }), getSessionUser: async () => null }));

describe("API tokens", () => {
  test("created once with its secret, listed without it, authenticates as its tenant and role", async () => {
    const t = await makeTenant("tok");
    const created = await userCaller(t.members.ADMIN).apiTokens.create({ tenant: t.slug, name: "ci", role: "OPERATOR", expiresInDays: 30 });
    expect(created.token).toMatch(/^ist_/);
    const listed = await userCaller(t.owner).apiTokens.list({ tenant: t.slug });
    expect(listed.items[0]).toMatchObject({ id: created.id, name: "ci", role: "OPERATOR", lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.token.split(".")[1]);
    const row = await db().apiToken.findUnique({ where: { id: created.id } });
    expect(row?.secretHash).not.toContain(created.token.split(".")[1]);

    const me = await (await viaBearer(created.token)).me.get();
    expect(me).toMatchObject({ kind: "apiToken", tenants: [{ slug: t.slug, role: "OPERATOR" }] });
    const after = await userCaller(t.owner).apiTokens.list({ tenant: t.slug });
    expect(after.items[0]!.lastUsedAt).not.toBeNull();
  });

  test("expiry is 1 to 365 days, named by field", async () => {
    const t = await makeTenant("tokx");
    await expect(userCaller(t.owner).apiTokens.create({ tenant: t.slug, name: "x", role: "VIEWER", expiresInDays: 366 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("expiresInDays"),
    });
    await expect(userCaller(t.owner).apiTokens.create({ tenant: t.slug, name: "x", role: "VIEWER", expiresInDays: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  test("a token cannot carry more rights than its creator", async () => {
    const t = await makeTenant("tokr");
    await expect(userCaller(t.members.ADMIN).apiTokens.create({ tenant: t.slug, name: "x", role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  test("revoked, expired and forged tokens are UNAUTHORIZED", async () => {
    const t = await makeTenant("tokv");
    const a = await userCaller(t.owner).apiTokens.create({ tenant: t.slug, name: "a", role: "VIEWER" });
    await userCaller(t.owner).apiTokens.revoke({ tenant: t.slug, id: a.id });
    await expect((await viaBearer(a.token)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const b = await userCaller(t.owner).apiTokens.create({ tenant: t.slug, name: "b", role: "VIEWER" });
    await db().apiToken.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    await expect((await viaBearer(b.token)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await viaBearer("ist_nope.nope")).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const audit = await userCaller(t.owner).audit.list({ tenant: t.slug, action: "api-token" });
    expect(audit.items.map((i) => i.action)).toEqual(["api-token.create", "api-token.revoke", "api-token.create"]);
  });

  test("an API token acts only within its own tenant", async () => {
    const a = await makeTenant("toka");
    const b = await makeTenant("tokb");
    const tok = await userCaller(b.owner).apiTokens.create({ tenant: b.slug, name: "b", role: "ADMIN" });
    const c = await viaBearer(tok.token);
    await expect(c.members.list({ tenant: a.slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const own = await c.members.list({});
    expect(own.items.map((m) => m.email).sort()).toEqual(
      Object.values(b.members)
        .map((m) => m.email)
        .sort(),
    );
  });

  test("a token's role is capped by its creator's current role", async () => {
    const t = await makeTenant("tokcap");
    const admin = t.members.ADMIN;
    const tok = await userCaller(admin).apiTokens.create({ tenant: t.slug, name: "deploy", role: "ADMIN" });
    expect(await (await viaBearer(tok.token)).apiTokens.list({})).toMatchObject({ items: expect.any(Array) });

    await userCaller(t.owner).members.updateRole({ tenant: t.slug, userId: admin.id, role: "VIEWER" });
    const demoted = await viaBearer(tok.token);
    expect(await demoted.me.get()).toMatchObject({ apiToken: { role: "VIEWER" }, tenants: [{ slug: t.slug, role: "VIEWER" }] });
    await expect(demoted.apiTokens.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(demoted.apiTokens.create({ name: "escalate", role: "ADMIN" })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Promoted back: the token has its own role again, never more.
    await userCaller(t.owner).members.updateRole({ tenant: t.slug, userId: admin.id, role: "OWNER" });
    expect(await (await viaBearer(tok.token)).me.get()).toMatchObject({ apiToken: { role: "ADMIN" } });
  });

  test("a removed or deleted creator's tokens stop working, including tokens made with them", async () => {
    const t = await makeTenant("tokgone");
    const op = t.members.OPERATOR;
    const tok = await userCaller(t.members.ADMIN).apiTokens.create({ tenant: t.slug, name: "admin-ci", role: "ADMIN" });
    const child = await (await viaBearer(tok.token)).apiTokens.create({ name: "child", role: "OPERATOR" });
    const opTok = await userCaller(t.owner).apiTokens.create({ tenant: t.slug, name: "owner-ci", role: "VIEWER" });
    expect(await (await viaBearer(child.token)).me.get()).toMatchObject({ apiToken: { role: "OPERATOR" } });

    await userCaller(t.owner).members.remove({ tenant: t.slug, userId: t.members.ADMIN.id });
    await expect((await viaBearer(tok.token)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await viaBearer(child.token)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Other members' tokens are untouched.
    await expect((await viaBearer(opTok.token)).me.get()).resolves.toMatchObject({ apiToken: { role: "VIEWER" } });

    const opToken = await userCaller(t.owner).apiTokens.create({ tenant: t.slug, name: "op", role: "VIEWER" });
    await db().apiToken.update({ where: { id: opToken.id }, data: { createdById: op.id } });
    await db().user.delete({ where: { id: op.id } });
    await expect((await viaBearer(opToken.token)).me.get()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  test("a token made with the CLI (no creating user) keeps its own role", async () => {
    const t = await makeTenant("tokcli");
    const cli = await createApiToken({ tenantId: t.id, tenantSlug: t.slug, role: "OWNER", actor: systemActor("cli") }, { name: "cli", role: "ADMIN" });
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: cli.id } })).createdById).toBeNull();
    expect(await (await viaBearer(cli.token)).me.get()).toMatchObject({ apiToken: { role: "ADMIN" } });
  });
});
