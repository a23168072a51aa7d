// The CLI as a user runs it: a real process through bin/isthmus.mjs, against the
// test database.
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { authenticateApiToken } from "../server/api-tokens/api-tokens";
import { db } from "../server/platform/db/client";
import { PASSWORD, makeUser, rand } from "../test/fixtures";

const BIN = path.resolve(import.meta.dirname, "../bin/isthmus.mjs");

function isthmus(...args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: "silent" }, cwd: "/" }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

// Each call is a fresh Node process loading tsx and Prisma (about a second, far more
// on a busy machine): a generous timeout, since this measures behaviour, not speed.
describe("isthmus CLI", { timeout: 120_000 }, () => {
  it("creates a user, a tenant, a member and an API token", async () => {
    const email = `cli-${rand()}@example.test`;
    const slug = `cli-${rand()}`;
    const user = await isthmus("user", "create", "--email", email, "--password", PASSWORD);
    expect(user).toMatchObject({ code: 0, stderr: "" });
    expect(user.stdout).toContain(`created user ${email}`);

    const tenant = await isthmus("tenant", "create", "--slug", slug, "--name", "CLI Co", "--owner", email);
    expect(tenant.code).toBe(0);
    const t = await db().tenant.findUniqueOrThrow({
      where: { slug },
      select: { id: true, memberships: { select: { role: true, user: { select: { email: true } } } } },
    });
    expect(t.memberships).toEqual([{ role: "OWNER", user: { email } }]);

    const other = await makeUser("cli-member");
    const member = await isthmus("member", "add", "--tenant", slug, "--email", other.email, "--role", "operator");
    expect(member.code).toBe(0);
    expect(member.stdout).toContain(`added ${other.email} to ${slug} as OPERATOR`);

    const token = await isthmus("api-token", "create", "--tenant", slug, "--role", "VIEWER", "--expires-days", "7", "--name", "ci");
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/^ist_\S+\n$/);
    const resolved = await authenticateApiToken(token.stdout.trim());
    expect(resolved).toMatchObject({ name: "ci", role: "VIEWER", tenant: { slug } });

    const audit = await db().auditLog.findMany({
      where: { tenantId: t.id },
      select: { action: true, actorType: true, actorLabel: true },
      orderBy: { createdAt: "asc" },
    });
    expect(audit).toEqual([
      { action: "tenant.create", actorType: "SYSTEM", actorLabel: "cli" },
      { action: "member.add", actorType: "SYSTEM", actorLabel: "cli" },
      { action: "api-token.create", actorType: "SYSTEM", actorLabel: "cli" },
    ]);
  });

  it("says what is wrong on one line of stderr and exits non-zero", async () => {
    const owner = await makeUser("cli-owner");
    const slug = `cli-${rand()}`;
    expect((await isthmus("tenant", "create", "--slug", slug, "--name", "One", "--owner", owner.email)).code).toBe(0);
    const cases: Array<[string[], RegExp, number]> = [
      [["member", "add", "--tenant", "no-such-tenant", "--email", owner.email, "--role", "VIEWER"], /unknown tenant: no-such-tenant/, 1],
      [["tenant", "create", "--slug", `cli-${rand()}`, "--name", "X", "--owner", "ghost@example.test"], /unknown user: ghost@example\.test/, 1],
      [["member", "add", "--tenant", slug, "--email", "ghost@example.test", "--role", "VIEWER"], /--email: no account for ghost@example\.test/, 1],
      [["user", "create", "--email", `weak-${rand()}@example.test`, "--password", "short"], /--password: must be at least 12 characters/, 1],
      [["tenant", "create", "--slug", slug, "--name", "Two", "--owner", owner.email], new RegExp(`--slug: "${slug}" is already taken`), 1],
      [["member", "add", "--tenant", slug, "--email", owner.email, "--role", "KING"], /--role must be one of OWNER, ADMIN, OPERATOR, VIEWER, got "KING"/, 2],
      [["member", "add", "--tenant", slug, "--email", owner.email, "--role", "ADMIN"], /already a member/, 1],
      [["api-token", "create", "--tenant", slug, "--role", "ADMIN", "--expires-days", "1000"], /--expires-days: must be at most 365 days/, 1],
      [["api-token", "create", "--tenant", slug], /missing --role/, 2],
      [["tenant", "delete"], /unknown command: tenant delete/, 2],
    ];
    const results = await Promise.all(cases.map(([args]) => isthmus(...args)));
    results.forEach((r, i) => {
      const [args, message, code] = cases[i];
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code, stdout: "" });
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });
    expect(await db().tenant.count({ where: { slug } })).toBe(1);
  });

  it("prints usage for --help", async () => {
    const r = await isthmus("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("isthmus api-token create --tenant S --role R [--expires-days N] [--name N]");
    const sub = await isthmus("member", "add", "--help");
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain("isthmus member add --tenant S --email E --role R");
  });
});
