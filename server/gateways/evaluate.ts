// A link's health over time, from the status its ends report now (link-health.ts, with
// the tenant's thresholds and silence) and what it was: flap damping and `since`.
//
// FLAPPING: a link whose raw status changed more than flapChanges times within the
// last flapMinutes is FLAPPING (not UP one minute and DOWN the next on every screen and
// in every alert); it leaves FLAPPING once the window holds no more than flapChanges
// changes, for whatever its ends say then.
import type { GatewaySettings } from "./settings";

export type LinkHealth = "UP" | "DEGRADED" | "DOWN" | "UNKNOWN" | "FLAPPING";
export type RawHealth = Exclude<LinkHealth, "FLAPPING">;

export interface LinkState {
  status: LinkHealth;
  rawStatus: RawHealth;
  reason: string | null;
  since: Date;
  /** Times of raw status changes still inside the flap window. */
  changes: Date[];
}

export interface Observation {
  status: RawHealth;
  reason: string | null;
}

export interface Evaluation {
  next: LinkState;
  /** Set when the (damped) status changed: an event is due. */
  transition: { from: LinkHealth | null; to: LinkHealth } | null;
}

export function evaluateLink(prev: LinkState | null, obs: Observation, now: Date, settings: Pick<GatewaySettings, "flapChanges" | "flapMinutes">): Evaluation {
  if (!prev) {
    return { next: { status: obs.status, rawStatus: obs.status, reason: obs.reason, since: now, changes: [] }, transition: { from: null, to: obs.status } };
  }
  const windowStart = now.getTime() - settings.flapMinutes * 60_000;
  const changes = prev.changes.filter((c) => c.getTime() > windowStart);
  if (obs.status !== prev.rawStatus) changes.push(now);
  const flapping = changes.length > settings.flapChanges;
  const status: LinkHealth = flapping ? "FLAPPING" : obs.status;
  const reason = flapping ? `${changes.length} changes in ${settings.flapMinutes} min` : obs.reason;
  const changed = status !== prev.status;
  return {
    next: { status, rawStatus: obs.status, reason, since: changed ? now : prev.since, changes },
    transition: changed ? { from: prev.status, to: status } : null,
  };
}

/** Severity of an event for a transition into `to`. */
export function transitionSeverity(to: LinkHealth): "INFO" | "WARNING" | "CRITICAL" {
  return to === "DOWN" ? "CRITICAL" : to === "UP" ? "INFO" : "WARNING";
}

/** Worst first: the order in which failing links are named. */
export const HEALTH_RANK: Record<LinkHealth, number> = { DOWN: 4, FLAPPING: 3, DEGRADED: 2, UNKNOWN: 1, UP: 0 };
