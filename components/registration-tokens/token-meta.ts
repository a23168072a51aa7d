import type { RouterOutputs } from "@/lib/trpc";
import type { BadgeTone } from "../ui/badge";

export type RegistrationToken = RouterOutputs["registrationTokens"]["list"]["items"][number];

/** Whether a token can still enrol a cluster; the server decides (`redeemable`, `reason`). */
export function tokenState(t: Pick<RegistrationToken, "reason">): { label: string; tone: BadgeTone } {
  switch (t.reason) {
    case "REVOKED":
      return { label: "Revoked", tone: "danger" };
    case "EXPIRED":
      return { label: "Expired", tone: "warning" };
    case "USED_UP":
      return { label: "Used up", tone: "neutral" };
    default:
      return { label: "Redeemable", tone: "success" };
  }
}

/** "1 / 1", "3 / ∞": uses so far over the limit. */
export function usesText(t: Pick<RegistrationToken, "uses" | "maxUses">): string {
  return `${t.uses} / ${t.maxUses ?? "∞"}`;
}

export const TTL_PRESETS = [
  { value: "3600", label: "1 hour" },
  { value: "86400", label: "24 hours" },
  { value: "604800", label: "7 days" },
  { value: "2592000", label: "30 days" },
  { value: "custom", label: "Custom…" },
] as const;

export const TTL_UNITS = [
  { value: "60", label: "minutes" },
  { value: "3600", label: "hours" },
  { value: "86400", label: "days" },
] as const;

export { MAX_TTL_SECONDS } from "@/protocol/registration-tokens";
