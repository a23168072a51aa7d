import { describe, expect, test } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password";

describe("passwords", () => {
  test("argon2id with the OWASP parameters", async () => {
    const h = await hashPassword("correct horse battery");
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, "correct horse battery")).toBe(true);
    expect(await verifyPassword(h, "correct horse batterY")).toBe(false);
  });

  test("missing account never verifies", async () => {
    expect(await verifyPassword(null, "anything at all")).toBe(false);
  });

  test.each([
    ["short", "must be at least 12 characters"],
    ["aaaaaaaaaaaaaaaa", "must use at least 5 different characters"],
    ["Password1234", "is too common"],
  ])("weak password %s is refused: %s", (pw, msg) => {
    expect(passwordProblem(pw)).toBe(msg);
  });

  test("a reasonable password passes", () => {
    expect(passwordProblem("blue-ferry-lantern-42")).toBeNull();
  });
});
