import { describe, expect, test } from "vitest";
import { PASSWORD, makeTenant, makeUser, rand } from "../../test/fixtures";
import { db } from "../platform/db/client";
import { authenticatePassword } from "./authenticate";

// Throttle counters live in Redis for a day and Redis outlives a test run: every account
// and address here is random, so runs never inherit each other's counts. Time is the
// test's own clock (`now`), never the wall clock.
const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
const policy = { free: 3, maxDelaySeconds: 8 };
const T0 = Date.UTC(2030, 0, 1);
const at = (s: number) => ({ now: T0 + s * 1000, policy });

describe("password sign-in", () => {
  test("right password signs in; wrong password and unknown email give the same message", async () => {
    const u = await makeUser("login");
    const ip = randomIp();
    await expect(authenticatePassword(u.email.toUpperCase(), PASSWORD, ip, at(0))).resolves.toMatchObject({ id: u.id });
    await expect(authenticatePassword(u.email, "wrong-password-123", ip, at(0))).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "Wrong email or password.",
    });
    await expect(authenticatePassword(`nobody-${rand()}@example.test`, PASSWORD, ip, at(0))).rejects.toMatchObject({ message: "Wrong email or password." });
  });

  test("every spelling of an email shares one counter: spaces and case buy no fresh tries", async () => {
    const u = await makeUser("spell");
    for (const typed of [` ${u.email}`, u.email.toUpperCase(), `${u.email}\t`]) {
      await expect(authenticatePassword(typed, "wrong-password-123", randomIp(), at(0))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect(authenticatePassword(`  ${u.email} `, "wrong-password-123", randomIp(), at(0))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(authenticatePassword(u.email, PASSWORD, randomIp(), at(0))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });

  test("an attacked account is slowed down exponentially, never locked: the owner signs in after the delay", async () => {
    const t = await makeTenant("throttle");
    const owner = t.owner;
    const attacker = randomIp();
    for (let i = 0; i < 3; i++)
      await expect(authenticatePassword(owner.email, `wrong-${i}-xxxxxxxx`, attacker, at(0))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    // Inside the delay even the right password is refused, from any address, with how long to wait.
    await expect(authenticatePassword(owner.email, PASSWORD, randomIp(), at(0.5))).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      details: { retryAfterSeconds: 1 },
    });
    // Each further failure doubles the wait, up to the cap: 1, 2, 4, 8, 8 s.
    const waits: number[] = [];
    let clock = 0;
    for (let i = 0; i < 5; i++) {
      clock += i === 0 ? 1 : waits[i - 1]!;
      await expect(authenticatePassword(owner.email, `wrong-again-${i}-xx`, attacker, at(clock))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
      const refused = await authenticatePassword(owner.email, PASSWORD, randomIp(), at(clock)).catch((e: { details: { retryAfterSeconds: number } }) => e);
      waits.push((refused as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds);
    }
    expect(waits).toEqual([2, 4, 8, 8, 8]);
    // The owner, from another address, waits out the (capped) delay once and is in.
    clock += 8;
    await expect(authenticatePassword(owner.email, PASSWORD, randomIp(), at(clock))).resolves.toMatchObject({ id: owner.id });
    // The owner's success does not reopen the account to the guesser: it starts over at the free allowance, no more.
    for (let i = 0; i < 3; i++)
      await expect(authenticatePassword(owner.email, `wrong-later-${i}-xx`, attacker, at(clock))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(authenticatePassword(owner.email, `wrong-later-x-xx`, attacker, at(clock))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });

    // The owner was told, in the audit log of their tenant: when throttling began, at each doubling, and when it began again.
    const rows = await db().auditLog.findMany({
      where: { tenantId: t.id, action: "user.signin.throttled", targetId: owner.id },
      orderBy: { createdAt: "asc" },
    });
    expect(rows.map((r) => (r.diff as { failures: { to: number } }).failures.to)).toEqual([3, 6, 3]);
    expect(rows[0]).toMatchObject({ actorType: "SYSTEM", sourceIp: attacker });
    expect(rows[0]!.diff).toMatchObject({ lastFrom: { to: attacker } });
  });

  test("a burst of parallel guesses gets no more tries than sequential ones", async () => {
    const u = await makeUser("burst");
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => authenticatePassword(u.email, `wrong-${i}-xxxxxxxx`, randomIp(), at(0))));
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "OK"));
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(3);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(17);
  });

  test("failures from one address slow that address down for other accounts, not other addresses", async () => {
    const ip = randomIp();
    const victim = await makeUser("ipvictim");
    // An address (a whole NAT, perhaps) has four times an account's free failures.
    for (let i = 0; i < 12; i++)
      await expect(authenticatePassword(`spray-${i}-${rand()}@example.test`, "wrong-password-1", ip, at(0))).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(authenticatePassword(victim.email, PASSWORD, ip, at(0))).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(authenticatePassword(victim.email, PASSWORD, randomIp(), at(0))).resolves.toMatchObject({ id: victim.id });
    await expect(authenticatePassword(victim.email, PASSWORD, ip, at(1))).resolves.toMatchObject({ id: victim.id });
  });
});
