// A tenant's gateway settings, kept in Tenant.settings.gateways: thresholds that make an
// UP link DEGRADED, flap damping, and history retention. Every field has a default, so
// a tenant that never set any gets the documented behaviour.
import { z } from "zod";
import { db } from "../platform/db/client";
import { MAX_RETENTION_DAYS } from "./partitions";

export const ZGatewaySettings = z.object({
  /** An UP link at or above either threshold is DEGRADED. */
  degradedLossPct: z.number().min(0).max(100).default(2),
  degradedRttMs: z.number().min(1).max(600_000).default(250),
  /** A link that changes state more than flapChanges times in flapMinutes is FLAPPING. */
  flapChanges: z.number().int().min(2).max(100).default(4),
  flapMinutes: z.number().int().min(1).max(120).default(10),
  /** History kept (days), at most what the partitions keep (partitions.ts). */
  minuteRetentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS.GatewayRollup1m).default(MAX_RETENTION_DAYS.GatewayRollup1m),
  hourRetentionDays: z.number().int().min(1).max(MAX_RETENTION_DAYS.GatewayRollup1h).default(MAX_RETENTION_DAYS.GatewayRollup1h),
});
export type GatewaySettings = z.infer<typeof ZGatewaySettings>;

export const DEFAULT_GATEWAY_SETTINGS: GatewaySettings = ZGatewaySettings.parse({});

/** The settings as stored, with defaults for what is missing; stored values that no longer validate fall back to the defaults. */
export function parseGatewaySettings(settings: unknown): GatewaySettings {
  const raw = settings && typeof settings === "object" ? (settings as { gateways?: unknown }).gateways : undefined;
  const parsed = ZGatewaySettings.safeParse(raw ?? {});
  return parsed.success ? parsed.data : DEFAULT_GATEWAY_SETTINGS;
}

export async function readGatewaySettings(tenantId: string): Promise<GatewaySettings> {
  const t = await db().tenant.findFirst({ where: { id: tenantId }, select: { settings: true } });
  return parseGatewaySettings(t?.settings);
}
