import { describe, expect, test } from "vitest";
import { AppError } from "./errors";
import { ROLES, requireRole, roleAtLeast } from "./roles";

describe("roles", () => {
  test("OWNER > ADMIN > OPERATOR > VIEWER", () => {
    expect(ROLES).toEqual(["OWNER", "ADMIN", "OPERATOR", "VIEWER"]);
    for (let i = 0; i < ROLES.length; i++) {
      for (let j = 0; j < ROLES.length; j++) {
        expect(roleAtLeast(ROLES[i]!, ROLES[j]!)).toBe(i <= j);
      }
    }
  });

  test("requireRole throws FORBIDDEN naming both roles", () => {
    expect(() => requireRole({ role: "VIEWER" }, "ADMIN")).toThrowError(AppError);
    try {
      requireRole({ role: "OPERATOR" }, "ADMIN");
    } catch (err) {
      expect((err as AppError).code).toBe("FORBIDDEN");
      expect((err as AppError).message).toContain("ADMIN");
      expect((err as AppError).message).toContain("OPERATOR");
    }
    expect(() => requireRole({ role: "OWNER" }, "ADMIN")).not.toThrow();
  });
});
