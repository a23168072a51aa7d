// Label selector semantics of metav1.LabelSelector: matchLabels and every
// matchExpressions requirement must all hold (AND).
import type { Labels, Requirement, Selector } from "./types";

export const EVERYTHING: Selector = { matchLabels: {}, matchExpressions: [] };

function requirementHolds(r: Requirement, labels: Labels): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.operator) {
    case "In":
      return has && r.values.includes(labels[r.key]);
    // "NotIn" also matches objects without the key (labels.Selector semantics).
    case "NotIn":
      return !has || !r.values.includes(labels[r.key]);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
  }
}

export function matches(selector: Selector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  return selector.matchExpressions.every((r) => requirementHolds(r, labels));
}

export function isEmptySelector(s: Selector): boolean {
  return Object.keys(s.matchLabels).length === 0 && s.matchExpressions.length === 0;
}

/** Kubernetes' own text form: "app=web,tier in (a,b),!legacy". */
export function selectorText(s: Selector): string {
  const parts = Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const r of s.matchExpressions) {
    if (r.operator === "In") parts.push(`${r.key} in (${r.values.join(",")})`);
    else if (r.operator === "NotIn") parts.push(`${r.key} notin (${r.values.join(",")})`);
    else if (r.operator === "Exists") parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.join(",") || "<all>";
}
