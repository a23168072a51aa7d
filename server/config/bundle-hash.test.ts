import { describe, expect, test } from "vitest";
import { bundleHash, canonicalJson } from "./bundle-hash";

describe("bundle hash", () => {
  test("key order does not change the hash; content does", () => {
    const a = { cluster: { id: "c1", name: "a", tenant: "t" }, slices: [], manifests: [{ kind: "X", apiVersion: "v1", metadata: { name: "n" } }] };
    const b = { manifests: [{ metadata: { name: "n" }, apiVersion: "v1", kind: "X" }], slices: [], cluster: { tenant: "t", name: "a", id: "c1" } };
    expect(bundleHash(a)).toBe(bundleHash(b));
    expect(bundleHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(bundleHash({ ...a, slices: [{ id: "s" }] })).not.toBe(bundleHash(a));
  });

  test("canonical JSON sorts keys at every level, drops undefined, keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
    expect(canonicalJson({ at: new Date("2026-01-01T00:00:00Z") })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
  });
});
