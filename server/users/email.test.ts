import { describe, expect, test } from "vitest";
import { normalizeEmail } from "./email";
import { ZCreateUserInput } from "./schema";
import { ZInviteMemberInput } from "../members/schema";

describe("email normalisation", () => {
  test("one spelling: trimmed, lower-case, NFC", () => {
    expect(normalizeEmail("  Ops@Example.COM\t")).toBe("ops@example.com");
    // "é" typed as e + combining acute, and as one code point
    expect(normalizeEmail("Rene\u0301@example.com")).toBe(normalizeEmail("ren\u00e9@example.com"));
  });

  test("sign-up and invites store the normalised spelling", () => {
    const email = " Ops@Example.COM ";
    expect(ZCreateUserInput.parse({ email, password: "blue-ferry-lantern-42" }).email).toBe("ops@example.com");
    expect(ZInviteMemberInput.parse({ email, role: "VIEWER" }).email).toBe("ops@example.com");
  });
});
