// Kubernetes label selector expressions as kubectl takes them (`-l`):
// `env=prod,region in (eu-west,eu-central),!legacy,tier notin (db)`, into the
// matchLabels / matchExpressions form NetworkPolicy and AdminNetworkPolicy carry, and
// evaluated with the policy engine's own matcher so intent and compiled objects agree.
import { labelKeyProblem, labelValueProblem } from "../platform/labels";
import { matches } from "./engine/selectors";
import type { Requirement, Selector } from "./engine/types";

export type ParsedSelector = { ok: true; selector: Selector } | { ok: false; message: string };

/** Split at commas outside parentheses: `a in (x,y),b` → [`a in (x,y)`, `b`]. */
function terms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter((t) => t.length > 0);
}

function checkKey(key: string): string | null {
  return labelKeyProblem(key);
}

export function parseSelector(text: string): ParsedSelector {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Requirement[] = [];
  for (const term of terms(text)) {
    let m: RegExpExecArray | null;
    if ((m = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = list
        .split(",")
        .map((v) => v.trim())
        .filter((v) => v.length > 0);
      const problem =
        checkKey(key) ?? values.map(labelValueProblem).find((p) => p) ?? (values.length === 0 ? `"${term}": ${op} needs at least one value` : null);
      if (problem) return { ok: false, message: problem };
      matchExpressions.push({ key, operator: op === "in" ? "In" : "NotIn", values: [...new Set(values)].sort() });
    } else if ((m = /^([^=!\s]+)\s*!=\s*(\S*)$/.exec(term))) {
      const [, key, value] = m as unknown as [string, string, string];
      const problem = checkKey(key) ?? labelValueProblem(value);
      if (problem) return { ok: false, message: problem };
      matchExpressions.push({ key, operator: "NotIn", values: [value] });
    } else if ((m = /^([^=!\s]+)\s*==?\s*(\S*)$/.exec(term))) {
      const [, key, value] = m as unknown as [string, string, string];
      const problem = checkKey(key) ?? labelValueProblem(value);
      if (problem) return { ok: false, message: problem };
      if (key in matchLabels && matchLabels[key] !== value) return { ok: false, message: `"${key}" cannot equal both ${matchLabels[key]} and ${value}` };
      matchLabels[key] = value;
    } else if ((m = /^!\s*([^=!\s()]+)$/.exec(term))) {
      const problem = checkKey(m[1]!);
      if (problem) return { ok: false, message: problem };
      matchExpressions.push({ key: m[1]!, operator: "DoesNotExist", values: [] });
    } else if ((m = /^([^=!\s()]+)$/.exec(term))) {
      const problem = checkKey(m[1]!);
      if (problem) return { ok: false, message: problem };
      matchExpressions.push({ key: m[1]!, operator: "Exists", values: [] });
    } else {
      return { ok: false, message: `"${term}" is not a selector term (key=value, key!=value, key in (a,b), key notin (a,b), key, !key)` };
    }
  }
  return { ok: true, selector: { matchLabels, matchExpressions } };
}

// Compiling a fleet matches the same few selectors against every peer: parse each once.
const parsedCache = new Map<string, Selector>();
const EMPTY: Selector = { matchLabels: {}, matchExpressions: [] };

/** A selector known to be valid (validated at input). Shared and frozen: do not change it. */
export function selectorOf(text: string | undefined): Selector {
  if (!text) return EMPTY;
  let s = parsedCache.get(text);
  if (!s) {
    const parsed = parseSelector(text);
    if (!parsed.ok) throw new Error(`invalid selector reached the compiler: ${parsed.message}`);
    s = parsed.selector;
    if (parsedCache.size > 10_000) parsedCache.clear();
    parsedCache.set(text, s);
  }
  return s;
}

export const selectorMatches = (text: string | undefined, labels: Readonly<Record<string, string>>) => matches(selectorOf(text), labels);

/** The Kubernetes JSON form, with empty parts left out and keys sorted (stable hashes). */
export function toKubeSelector(s: Selector): {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
} {
  const out: ReturnType<typeof toKubeSelector> = {};
  const keys = Object.keys(s.matchLabels).sort();
  if (keys.length) out.matchLabels = Object.fromEntries(keys.map((k) => [k, s.matchLabels[k]!]));
  if (s.matchExpressions.length) {
    out.matchExpressions = [...s.matchExpressions]
      .sort((a, b) => (a.key + a.operator < b.key + b.operator ? -1 : 1))
      .map((e) =>
        e.operator === "In" || e.operator === "NotIn" ? { key: e.key, operator: e.operator, values: [...e.values] } : { key: e.key, operator: e.operator },
      );
  }
  return out;
}
