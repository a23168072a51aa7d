// Labels and badge tones of rollout and target states, shared by the list and the page.
import type { ROLLOUT_STRATEGIES, RolloutStatus, TargetState } from "@/server/rollouts/schema";
import type { BadgeTone } from "../ui/badge";

/** The server's ACTIVE_STATUSES (a runtime list the browser cannot import from server/). */
export const ACTIVE: readonly string[] = ["PENDING", "QUEUED", "RUNNING", "PAUSED"] satisfies RolloutStatus[];
/** Active rollouts move on their own: poll often while one is on screen. */
export const pollMs = (status: string | undefined) => (status && !ACTIVE.includes(status) ? 15_000 : 1_500);

// Complete per the server's state lists (satisfies), looked up by the plain strings outputs carry.
export const STATUS_TONE: Readonly<Record<string, BadgeTone>> = {
  PENDING: "neutral",
  QUEUED: "warning",
  RUNNING: "accent",
  PAUSED: "warning",
  DONE: "success",
  FAILED: "danger",
  CANCELLED: "neutral",
  ROLLED_BACK: "warning",
} satisfies Record<RolloutStatus, BadgeTone>;

export const TARGET_TONE: Readonly<Record<string, BadgeTone>> = {
  PENDING: "neutral",
  PUBLISHED: "accent",
  APPLIED: "success",
  FAILED: "danger",
  ROLLED_BACK: "warning",
  OFFLINE_PENDING: "warning",
  SUPERSEDED: "neutral",
  UNCHANGED: "neutral",
  CANCELLED: "neutral",
  GONE: "neutral",
} satisfies Record<TargetState, BadgeTone>;

export const label = (s: string) => (s === "OFFLINE_PENDING" ? "pending (offline)" : s.toLowerCase().replace(/_/g, " "));
export const STRATEGY_LABEL: Readonly<Record<string, string>> = { ALL_AT_ONCE: "All at once", WAVES: "Waves" } satisfies Record<
  (typeof ROLLOUT_STRATEGIES)[number],
  string
>;
