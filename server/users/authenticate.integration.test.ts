import { describe, expect, test } from "vitest";
import { PASSWORD, makeUser, rand } from "../../test/fixtures";
import { authenticatePassword } from "./authenticate";

// Failure counters live in Redis for an hour and Redis outlives a test run: every
// address here is random so repeated runs never inherit each other's counts.
const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("password sign-in", () => {
  test("right password signs in; wrong password and unknown email give the same message", async () => {
    const u = await makeUser("login");
    const ip = randomIp();
    await expect(authenticatePassword(u.email.toUpperCase(), PASSWORD, ip)).resolves.toMatchObject({ id: u.id });
    await expect(authenticatePassword(u.email, "wrong-password-123", ip)).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Wrong email or password." });
    await expect(authenticatePassword(`nobody-${rand()}@example.test`, PASSWORD, ip)).rejects.toMatchObject({ message: "Wrong email or password." });
  });

  test("after 100 failures within the hour the 101st attempt on the account is refused, even with the right password", async () => {
    const u = await makeUser("brute");
    for (let i = 0; i < 100; i++) {
      // a different source address each time: the per-account limit alone must stop it
      await expect(authenticatePassword(u.email, `wrong-${i}-xxxxxxxx`, randomIp())).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    }
    await expect(authenticatePassword(u.email, PASSWORD, randomIp())).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringContaining("Too many failed sign-ins") });
  });

  test("100 failures from one address block that address for other accounts too", async () => {
    const ip = randomIp();
    const victim = await makeUser("ipvictim");
    for (let i = 0; i < 100; i++) await expect(authenticatePassword(`spray-${i}-${rand()}@example.test`, "wrong-password-1", ip)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(authenticatePassword(victim.email, PASSWORD, ip)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    await expect(authenticatePassword(victim.email, PASSWORD, randomIp())).resolves.toMatchObject({ id: victim.id });
  });
});
