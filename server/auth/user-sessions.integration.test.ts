// Console sessions live on the server: the cookie is only a pointer, so what signing
// out or deleting an account does holds for every copy of the cookie.
import { decode, encode, type JWT } from "next-auth/jwt";
import { describe, expect, test } from "vitest";
import { makeUser } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { authOptions, sessionUserFromToken } from "./next-auth";
import { revokeAllUserSessions, signInOrigin } from "./user-sessions";

const secret = "user-sessions-test-secret-0123456789";

/** Sign in as next-auth does after authorize(): the jwt callback, then the cookie. */
async function signIn(user: { id: string; email: string }, origin = { sourceIp: "198.51.100.20", userAgent: "test-agent" }) {
  const jwt = authOptions().callbacks!.jwt!;
  const token = (await signInOrigin.run(origin, () =>
    jwt({
      token: {},
      user: { id: user.id, email: user.email },
      account: { provider: "credentials", type: "credentials", providerAccountId: user.id },
      trigger: "signIn",
    }),
  )) as JWT;
  return encode({ token, secret });
}

const userOfCookie = async (cookie: string) => sessionUserFromToken((await decode({ token: cookie, secret })) as { sid?: unknown } | null);

describe("server-side sessions", () => {
  test("the cookie carries only the session id; the session records where it came from", async () => {
    const u = await makeUser("sess");
    const cookie = await signIn(u);
    const payload = (await decode({ token: cookie, secret }))!;
    expect(Object.keys(payload).filter((k) => !["iat", "exp", "jti"].includes(k))).toEqual(["sid"]);
    const row = await db().userSession.findUniqueOrThrow({ where: { id: payload.sid as string } });
    expect(row).toMatchObject({ userId: u.id, sourceIp: "198.51.100.20", userAgent: "test-agent", revokedAt: null });
    expect(await userOfCookie(cookie)).toMatchObject({ id: u.id, email: u.email });
  });

  test("a copied cookie stops working after sign-out", async () => {
    const u = await makeUser("signout");
    const cookie = await signIn(u);
    const copy = `${cookie}`;
    const other = await signIn(u);
    expect(await userOfCookie(copy)).toMatchObject({ id: u.id });
    await authOptions().events!.signOut!({ token: (await decode({ token: cookie, secret }))!, session: null as never });
    expect(await userOfCookie(copy)).toBeNull();
    // Another browser's session of the same user is its own.
    expect(await userOfCookie(other)).toMatchObject({ id: u.id });
  });

  test("sign out everywhere ends every session; deleting the user ends them too", async () => {
    const u = await makeUser("everywhere");
    const [a, b] = [await signIn(u), await signIn(u)];
    expect(await revokeAllUserSessions(u.id)).toBe(2);
    expect(await userOfCookie(a)).toBeNull();
    expect(await userOfCookie(b)).toBeNull();

    const v = await makeUser("deleted");
    const c = await signIn(v);
    await db().user.delete({ where: { id: v.id } });
    expect(await userOfCookie(c)).toBeNull();
  });

  test("idle and absolute limits are enforced on the server; lastSeenAt is written at most every few minutes", async () => {
    const u = await makeUser("limits");
    const cookie = await signIn(u);
    const sid = (await decode({ token: cookie, secret }))!.sid as string;
    const seen = (await db().userSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt;
    await userOfCookie(cookie);
    expect((await db().userSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt).toEqual(seen);

    // Six minutes of quiet: the next request moves lastSeenAt forward.
    await db().userSession.update({ where: { id: sid }, data: { lastSeenAt: new Date(Date.now() - 6 * 60_000) } });
    expect(await userOfCookie(cookie)).not.toBeNull();
    expect((await db().userSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Nine hours idle (the default limit is eight): refused.
    await db().userSession.update({ where: { id: sid }, data: { lastSeenAt: new Date(Date.now() - 9 * 3600_000) } });
    expect(await userOfCookie(cookie)).toBeNull();

    // Active, but past the absolute limit: refused.
    const fresh = await signIn(u);
    const sid2 = (await decode({ token: fresh, secret }))!.sid as string;
    await db().userSession.update({ where: { id: sid2 }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await userOfCookie(fresh)).toBeNull();
  });

  test("a cookie of the old kind (user id, no session) is not accepted", async () => {
    const u = await makeUser("legacy");
    const cookie = await encode({ token: { sub: u.id, authTime: Math.floor(Date.now() / 1000) }, secret });
    expect(await userOfCookie(cookie)).toBeNull();
  });
});
