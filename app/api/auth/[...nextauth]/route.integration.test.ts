// The HTTP face of sign-in throttling: next-auth's credentials callback answers 429 with
// Retry-After while the account (or address) must wait, without checking the password.
import { createRequire } from "node:module";
import { beforeAll, describe, expect, test } from "vitest";
import { POST } from "@/app/api/auth/[...nextauth]/route";
import { PASSWORD, makeUser, rand } from "../../../../test/fixtures";
import { authenticatePassword } from "../../../../server/auth/authenticate";

beforeAll(() => createRequire(import.meta.url)("../../../../server/http/append-peer.cjs"));

const signInRequest = (email: string, password: string, xff: string) =>
  new Request("http://localhost:3000/api/auth/callback/credentials", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": xff },
    body: new URLSearchParams({ email, password, csrfToken: "x", json: "true" }),
  });

describe("POST /api/auth/callback/credentials while throttled", () => {
  test("429 with Retry-After and the message for the form, for any spelling of the email", async () => {
    const u = await makeUser("route");
    // Five failures on the test's clock, an hour ahead, from addresses of their own (an
    // address's counter outlives the run): the wait is still running when the route looks.
    const later = Date.now() + 3600_000;
    for (let i = 0; i < 5; i++) await authenticatePassword(u.email, `wrong-${i}-xxxxxxxx`, `2001:db8::${rand(2)}`, { now: later }).catch(() => {});
    const res = await POST(signInRequest(` ${u.email.toUpperCase()}`, PASSWORD, `2001:db8::${rand(2)}`), {
      params: Promise.resolve({ nextauth: ["callback", "credentials"] }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(3000);
    const body = (await res.json()) as { url: string; error: string };
    expect(body.error).toMatch(/Too many failed sign-ins/);
    expect(new URL(body.url).searchParams.get("error")).toBe(body.error);
  });
});
