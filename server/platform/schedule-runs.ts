// When each scheduled job last completed, and whether it is overdue. The workers record
// a run after each success; /api/health and /api/metrics read them. A schedule that
// stopped (its scheduler lost with Redis's data, every worker down, every run failing)
// shows up here as stale instead of the control plane silently saying "ok".
import { db } from "./db/client";
import { SCHEDULES, staleAfterMs, type ScheduledJobName } from "./queues";
import { KEY_PREFIX } from "./redis";

export type ScheduleStatus = "ok" | "stale" | "never-run";

export interface ScheduleState {
  name: ScheduledJobName;
  everyMs: number;
  lastRunAt: Date | null;
  /** Seconds since the last completed run; null when it never ran. */
  ageSeconds: number | null;
  status: ScheduleStatus;
}

/** Record a completed run (never moves lastRunAt backwards: replicas may finish out of order). */
export async function recordScheduleRun(name: string, at: Date = new Date(), keyPrefix: string = KEY_PREFIX) {
  await db().$executeRaw`
    INSERT INTO "ScheduleRun" ("keyPrefix", "name", "lastRunAt") VALUES (${keyPrefix}, ${name}, ${at})
    ON CONFLICT ("keyPrefix", "name") DO UPDATE SET "lastRunAt" = GREATEST("ScheduleRun"."lastRunAt", EXCLUDED."lastRunAt")`;
}

/** Every schedule of SCHEDULES with its last run, as of `now` (a parameter so tests move time). */
export async function readSchedules(now: Date = new Date(), keyPrefix: string = KEY_PREFIX): Promise<ScheduleState[]> {
  const rows = await db().scheduleRun.findMany({ where: { keyPrefix }, select: { name: true, lastRunAt: true } });
  const last = new Map(rows.map((r) => [r.name, r.lastRunAt]));
  return (Object.entries(SCHEDULES) as Array<[ScheduledJobName, number]>).map(([name, everyMs]) => {
    const lastRunAt = last.get(name) ?? null;
    const ageMs = lastRunAt ? Math.max(0, now.getTime() - lastRunAt.getTime()) : null;
    const status: ScheduleStatus = ageMs === null ? "never-run" : ageMs > staleAfterMs(everyMs) ? "stale" : "ok";
    return { name, everyMs, lastRunAt, ageSeconds: ageMs === null ? null : ageMs / 1000, status };
  });
}
