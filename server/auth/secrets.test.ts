import { describe, expect, test } from "vitest";
import { hashSecret, issueSecret, parseSecret, verifySecret } from "./secrets";

describe("prefixed secrets", () => {
  test("issued tokens have the documented shape and parse back", () => {
    const s = issueSecret("ist");
    expect(s.token).toMatch(/^ist_[a-z0-9]{20}\.[A-Za-z0-9_-]{43}$/);
    const parsed = parseSecret("ist", s.token);
    expect(parsed?.id).toBe(s.id);
    expect(verifySecret(s.hash, parsed!.secret)).toBe(true);
  });

  test("the stored hash is not the secret and does not verify another secret", () => {
    const a = issueSecret("isr");
    const b = issueSecret("isr");
    expect(a.hash).not.toContain(parseSecret("isr", a.token)!.secret);
    expect(verifySecret(a.hash, parseSecret("isr", b.token)!.secret)).toBe(false);
  });

  test("each issue is unique", () => {
    const ids = new Set(Array.from({ length: 200 }, () => issueSecret("isa").id));
    expect(ids.size).toBe(200);
  });

  test.each([
    ["wrong prefix", (t: string) => t.replace(/^ist_/, "isr_")],
    ["no dot", (t: string) => t.replace(".", "")],
    ["short secret", (t: string) => t.slice(0, -5)],
    ["empty", () => ""],
    ["upper-case id", (t: string) => t.replace(/^ist_(.)/, (_m, c: string) => `ist_${c.toUpperCase() === c ? "A" : c.toUpperCase()}`)],
  ])("malformed token (%s) does not parse", (_name, mangle) => {
    expect(parseSecret("ist", mangle(issueSecret("ist").token))).toBeNull();
  });

  test("verification rejects a hash of a different length without throwing", () => {
    expect(verifySecret("abcd", "x")).toBe(false);
    expect(hashSecret("x")).toHaveLength(64);
  });
});
