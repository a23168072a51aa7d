import { describe, expect, test } from "vitest";
import { installSnippet } from "./install-snippet";
import { tokenRefusal, usesLeft } from "./token-state";

const now = new Date("2026-06-01T00:00:00Z");
const later = new Date("2026-06-02T00:00:00Z");
const earlier = new Date("2026-05-31T00:00:00Z");

describe("registration token state", () => {
  test("uses left; null means unlimited", () => {
    expect(usesLeft({ maxUses: 3, uses: 1 })).toBe(2);
    expect(usesLeft({ maxUses: 1, uses: 5 })).toBe(0);
    expect(usesLeft({ maxUses: null, uses: 50 })).toBeNull();
  });

  test("revoked wins over expired, expired over used up", () => {
    expect(tokenRefusal({ revokedAt: earlier, expiresAt: earlier, maxUses: 1, uses: 1 }, now)).toBe("REVOKED");
    expect(tokenRefusal({ revokedAt: null, expiresAt: earlier, maxUses: 1, uses: 1 }, now)).toBe("EXPIRED");
    expect(tokenRefusal({ revokedAt: null, expiresAt: later, maxUses: 1, uses: 1 }, now)).toBe("USED_UP");
    expect(tokenRefusal({ revokedAt: null, expiresAt: later, maxUses: null, uses: 99 }, now)).toBeNull();
  });

  test("install snippet: command line and a Secret for deploy/agent", () => {
    const s = installSnippet("https://isthmus.example.com/", "isr_abc.def");
    expect(s.command).toBe("npx isthmus-agent --server https://isthmus.example.com --token isr_abc.def");
    expect(s.secretManifest).toContain("name: isthmus-agent-token");
    expect(s.secretManifest).toContain('token: "isr_abc.def"');
  });
});
