// Test helpers: users and tenants are made through the same services the app uses,
// against the run's database; signing in goes through next-auth's credentials
// endpoint (the sign-in form has its own spec).
import { test as base, expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { E2E_SECRET, readState } from "./state";

// Point the services at the run's database before any of them reads the environment.
let configured = false;
function configure() {
  if (configured) return;
  const s = readState();
  process.env.DATABASE_URL = s.databaseUrl;
  process.env.REDIS_URL = s.redisUrl;
  process.env.NEXTAUTH_SECRET = E2E_SECRET;
  process.env.LOG_LEVEL = "silent";
  configured = true;
}

export const PASSWORD = "harbour-kite-signal-73";
export const rand = (n = 4) => randomBytes(n).toString("hex");

export type Role = "OWNER" | "ADMIN" | "OPERATOR" | "VIEWER";
export interface TestUser {
  id: string;
  email: string;
  name: string | null;
  password: string;
}

export async function makeUser(label = "user", name?: string): Promise<TestUser> {
  configure();
  const { createUser } = await import("../../server/users/create-user");
  const email = `${label}-${rand()}@example.test`;
  const u = await createUser({ email, password: PASSWORD, name });
  return { id: u.id, email: u.email, name: u.name, password: PASSWORD };
}

/** A tenant owned by `owner` (a new user when not given). */
export async function makeTenant(label = "t", owner?: TestUser) {
  configure();
  const { createTenant } = await import("../../server/tenants/create-tenant");
  const o = owner ?? (await makeUser(`${label}-owner`, "Olive Owner"));
  const t = await createTenant({ type: "USER", id: o.id, label: o.email }, o.id, { slug: `${label}-${rand()}`, name: `Tenant ${label} ${rand(2)}` });
  return { id: t.id, slug: t.slug, name: t.name, owner: o };
}

export async function addMember(tenantId: string, user: TestUser, role: Role) {
  configure();
  const { db } = await import("../../server/platform/db/client");
  await db().membership.create({ data: { tenantId, userId: user.id, role } });
}

/** Sign `page`'s browser context in as `user` through next-auth's credentials callback. */
export async function signInViaApi(page: Page, user: { email: string; password: string }) {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, json: "true" },
  });
  expect(res.ok()).toBeTruthy();
  const body = (await res.json()) as { url?: string };
  expect(body.url ?? "", "next-auth answered with an error").not.toContain("error=");
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.endsWith("next-auth.session-token"))).toBeTruthy();
}

export const test = base.extend<object, { services: void }>({
  // Close the worker's database pool when the worker ends.
  services: [
    async ({}, use) => {
      await use();
      if (configured) {
        const { closeDb } = await import("../../server/platform/db/client");
        await closeDb();
        const { closeRedis } = await import("../../server/platform/redis");
        await closeRedis();
      }
    },
    { scope: "worker", auto: true },
  ],
});

export { expect };
