import { describe, expect, test } from "vitest";
import { installSnippet, unreachablePublicUrl } from "./install-snippet";
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

  test("install snippet: one line that fetches this token's manifests, the URL on its own, a Secret for deploy/agent", () => {
    const s = installSnippet("https://isthmus.example.com/", "isr_abc.def", "abc");
    expect(s.url).toBe("https://isthmus.example.com/api/agent/v1/install/abc.yaml");
    expect(s.command).toBe(
      `(m=$(curl -sSL --fail-with-body -H 'Authorization: Bearer isr_abc.def' https://isthmus.example.com/api/agent/v1/install/abc.yaml) || { printf '%s\\n' "$m" >&2; exit 1; }; printf '%s\\n' "$m" | kubectl apply -f -)`,
    );
    expect(s.kubectlOnly).toBe("kubectl apply -f 'https://isthmus.example.com/api/agent/v1/install/abc.yaml?token=isr_abc.def'");
    expect(s.warning).toBeNull();
    expect(s.localCommand).toBe("npx isthmus-agent --server https://isthmus.example.com --token isr_abc.def");
    expect(s.secretManifest).toContain("name: isthmus-agent-token");
    expect(s.secretManifest).toContain('token: "isr_abc.def"');
  });

  test("a PUBLIC_URL no cluster can reach (unset, localhost, loopback) says so and how to set it", () => {
    for (const u of ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000", "http://app.localhost", "http://0.0.0.0:3000"]) {
      expect(unreachablePublicUrl(u), u).toMatch(/Set PUBLIC_URL to the address clusters reach/);
    }
    expect(installSnippet("http://localhost:3000", "isr_abc.def", "abc").warning).toMatch(/would dial itself/);
    for (const u of ["https://isthmus.example.com", "http://10.0.0.5:3000", "http://localhost.example.com"]) expect(unreachablePublicUrl(u), u).toBeNull();
  });
});
