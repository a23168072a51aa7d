// Content hash of a bundle: SHA-256 of its canonical JSON (object keys sorted at every
// level), so the same desired state always hashes the same whatever the key order.
import { createHash } from "node:crypto";

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") {
    // undefined is dropped inside objects (as JSON.stringify does) and null in arrays.
    return JSON.stringify(value ?? null);
  }
  const toJSON = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJSON === "function") return canonicalJson(toJSON.call(value));
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export function bundleHash(bundle: unknown): string {
  return createHash("sha256").update(canonicalJson(bundle)).digest("hex");
}
