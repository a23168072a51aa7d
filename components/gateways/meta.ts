import type { BadgeTone } from "../ui/badge";

export const HEALTH_TONE: Record<string, BadgeTone> = { UP: "success", DEGRADED: "warning", FLAPPING: "warning", DOWN: "danger", UNKNOWN: "neutral" };
export const HEALTH_COLOR: Record<string, string> = { UP: "#16a34a", DEGRADED: "#d97706", FLAPPING: "#c026d3", DOWN: "#dc2626", UNKNOWN: "#9ca3af" };
export { SITE_LABEL } from "../clusters/meta";

export function scoreTone(score: number | null): BadgeTone {
  if (score === null) return "neutral";
  return score >= 90 ? "success" : score >= 60 ? "warning" : "danger";
}
