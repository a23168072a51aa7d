import type { LINK_HEALTH } from "@/server/gateways/schema";
import type { BadgeTone } from "../ui/badge";

type LinkHealth = (typeof LINK_HEALTH)[number];

// Complete per the server's list (satisfies), looked up by the plain strings outputs carry.
export const HEALTH_TONE: Readonly<Record<string, BadgeTone>> = {
  UP: "success",
  DEGRADED: "warning",
  FLAPPING: "warning",
  DOWN: "danger",
  UNKNOWN: "neutral",
} satisfies Record<LinkHealth, BadgeTone>;
export const HEALTH_COLOR: Readonly<Record<string, string>> = {
  UP: "#16a34a",
  DEGRADED: "#d97706",
  FLAPPING: "#c026d3",
  DOWN: "#dc2626",
  UNKNOWN: "#9ca3af",
} satisfies Record<LinkHealth, string>;
export { SITE_LABEL } from "../clusters/meta";

export function scoreTone(score: number | null): BadgeTone {
  if (score === null) return "neutral";
  return score >= 90 ? "success" : score >= 60 ? "warning" : "danger";
}
