// The cross-tenant matrix: every procedure of the root router, called as anonymous,
// as a viewer and an admin of tenant A, as an admin of tenant B and with an API token
// of tenant B, against tenant A's objects. CONVENTIONS.md: missing credentials are
// UNAUTHORIZED, too low a role is FORBIDDEN, another tenant's objects are NOT_FOUND.
import { beforeAll, describe, expect, test } from "vitest";
import { authzCases, type MatrixFixture } from "../../test/authz-cases";
import { anonCaller, makeTenant, tokenCaller, userCaller, type TenantFixture } from "../../test/fixtures";
import { roleAtLeast } from "../platform/roles";
import { appRouter } from "./root";

type Caller = ReturnType<typeof anonCaller>;
const procedures = Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures).sort();

function call(caller: Caller, path: string, input: unknown): Promise<unknown> {
  const fn = path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], caller) as (i: unknown) => Promise<unknown>;
  return fn(input);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

// An allowed caller's call must succeed: "not an auth code" would let a 500, or an input
// the procedure refuses, pass as "allowed". Each case's input is therefore valid for
// tenant A. Tenant B, reusing that input in its own scope, names objects it does not
// have: there success, NOT_FOUND or a validation error are the honest outcomes.
const OUTCOMES_OF_FOREIGN_INPUT = ["OK", "NOT_FOUND", "BAD_REQUEST"];

let fx: MatrixFixture;
let b: TenantFixture;
let bToken: Caller;

beforeAll(async () => {
  fx = { a: await makeTenant("victim") };
  b = await makeTenant("attacker");
  bToken = (await tokenCaller(b, "ADMIN")).caller;
});

test("every procedure of the root router has an authorisation case", () => {
  const missing = procedures.filter((p) => !authzCases[p]);
  const stale = Object.keys(authzCases).filter((p) => !procedures.includes(p));
  expect({ missing, stale }).toEqual({ missing: [], stale: [] });
});

describe.each(procedures.filter((p) => authzCases[p]?.access !== "public"))("%s", (path) => {
  const c = authzCases[path]!;

  test("anonymous is UNAUTHORIZED", async () => {
    const input = c.access === "tenant" ? { ...(await c.input(fx)), tenant: fx.a.slug } : c.access === "public" ? undefined : c.input();
    expect(await codeOf(call(anonCaller(), path, input))).toBe("UNAUTHORIZED");
  });

  if (c.access === "user") {
    test("an API token is UNAUTHORIZED; a signed-in user may call it", async () => {
      expect(await codeOf(call(bToken, path, c.input()))).toBe("UNAUTHORIZED");
      expect(await codeOf(call(userCaller(b.members.VIEWER), path, c.input()))).toBe("OK");
    });
  }
  if (c.access === "authed") {
    test("a signed-in user and an API token may call it", async () => {
      expect(await codeOf(call(bToken, path, c.input()))).toBe("OK");
      expect(await codeOf(call(userCaller(b.members.VIEWER), path, c.input()))).toBe("OK");
    });
  }
  if (c.access !== "tenant") return;

  test("admin of tenant B naming tenant A is NOT_FOUND", async () => {
    expect(await codeOf(call(userCaller(b.members.ADMIN), path, { ...(await c.input(fx)), tenant: fx.a.slug }))).toBe("NOT_FOUND");
  });

  test("API token of tenant B naming tenant A is NOT_FOUND", async () => {
    expect(await codeOf(call(bToken, path, { ...(await c.input(fx)), tenant: fx.a.slug }))).toBe("NOT_FOUND");
  });

  if (c.targetsObject) {
    test("tenant B in its own scope cannot reach tenant A's object: NOT_FOUND", async () => {
      expect(await codeOf(call(userCaller(b.owner), path, { ...(await c.input(fx)), tenant: b.slug }))).toBe("NOT_FOUND");
      expect(await codeOf(call(bToken, path, await c.input(fx)))).toBe("NOT_FOUND");
    });
  } else {
    test("tenant B in its own scope sees none of tenant A's data", async () => {
      let res: unknown = null;
      const code = await codeOf(call(userCaller(b.owner), path, { ...(await c.input(fx)), tenant: b.slug }).then((r) => (res = r)));
      expect(OUTCOMES_OF_FOREIGN_INPUT).toContain(code);
      const text = JSON.stringify(res ?? "");
      for (const m of Object.values(fx.a.members)) expect(text).not.toContain(m.email);
      expect(text).not.toContain(fx.a.id);
    });
  }

  test(`viewer of tenant A is ${roleAtLeast("VIEWER", c.minRole) ? "allowed" : "FORBIDDEN"}`, async () => {
    const code = await codeOf(call(userCaller(fx.a.members.VIEWER), path, { ...(await c.input(fx)), tenant: fx.a.slug }));
    if (roleAtLeast("VIEWER", c.minRole)) expect(code).toBe("OK");
    else expect(code).toBe("FORBIDDEN");
  });

  test(`${c.minRole === "OWNER" ? "owner" : "admin"} of tenant A is allowed`, async () => {
    const who = c.minRole === "OWNER" ? fx.a.owner : fx.a.members.ADMIN;
    const code = await codeOf(call(userCaller(who), path, { ...(await c.input(fx)), tenant: fx.a.slug }));
    expect(code).toBe("OK");
  });
});
