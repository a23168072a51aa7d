// Outputs of the audit domain: allow-lists of what each procedure returns (z.object drops every other key).
import { z } from "zod";

export const ZAuditRow = z.object({
  id: z.string(),
  actorType: z.enum(["USER", "API_TOKEN", "AGENT", "SYSTEM"]),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  // The target's current name in this tenant, else the one its diff recorded (deleted targets), else null.
  targetName: z.string().nullable(),
  diff: z.unknown(),
  sourceIp: z.string().nullable(),
  createdAt: z.date(),
});
export const ZAuditPage = z.object({ items: z.array(ZAuditRow), nextCursor: z.string().nullable() });
