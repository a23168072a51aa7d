// Kubernetes-style labels on clusters and registration tokens, and the `key=value`
// selectors that filter clusters by them. Same rules as Kubernetes, so a label a
// platform engineer writes here is one they could also put on a Kubernetes object.
import { z } from "zod";

const NAME_RE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_LABELS = 64;

/** Why `key` is not a valid label key, or null when it is. */
export function labelKeyProblem(key: string): string | null {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : null;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== null && (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN_RE.test(prefix))) {
    return `label key "${key}": the prefix must be a DNS subdomain (lower-case, at most 253 characters)`;
  }
  if (name.length === 0 || name.length > 63 || !NAME_RE.test(name)) {
    return `label key "${key}": the name must be 1-63 characters, alphanumeric at both ends, with '-', '_' or '.' between`;
  }
  return null;
}

/** Why `value` is not a valid label value, or null when it is. */
export function labelValueProblem(value: string): string | null {
  if (value === "") return null;
  if (value.length > 63 || !NAME_RE.test(value)) {
    return `label value "${value}": must be at most 63 characters, alphanumeric at both ends, with '-', '_' or '.' between`;
  }
  return null;
}

export const ZLabels = z.record(z.string(), z.string()).superRefine((labels, ctx) => {
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) ctx.addIssue({ code: "custom", message: `at most ${MAX_LABELS} labels` });
  for (const [k, v] of entries) {
    const problem = labelKeyProblem(k) ?? labelValueProblem(v);
    if (problem) ctx.addIssue({ code: "custom", path: [k], message: problem });
  }
});
export type Labels = z.infer<typeof ZLabels>;

/**
 * Parse a selector such as `env=prod,region=eu-west` (every pair must match). Returns
 * the pairs, or a message naming the bad part.
 */
export function parseLabelSelector(selector: string): { ok: true; pairs: Record<string, string> } | { ok: false; message: string } {
  const pairs: Record<string, string> = {};
  for (const raw of selector.split(",")) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^([^=!]+?)\s*==?\s*(.*)$/.exec(part);
    if (!m) return { ok: false, message: `"${part}" is not of the form key=value` };
    const [, k, v] = m as unknown as [string, string, string];
    const problem = labelKeyProblem(k) ?? labelValueProblem(v);
    if (problem) return { ok: false, message: problem };
    pairs[k] = v;
  }
  return { ok: true, pairs };
}

/** Labels stored as JSON: anything that is not a string map reads as no labels. */
export function asLabels(value: unknown): Labels {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Labels;
}
