// Inputs and outputs of the alerts domain. Inputs are not strict: tenant procedures' input also carries `tenant`.
import { z } from "zod";

export const RULE_KINDS = ["LINK_DOWN", "SITE_UNAVAILABLE", "LOSS_ABOVE", "SLICE_NOT_CONVERGED", "SCORE_BELOW"] as const;
export const ZRuleKind = z.enum(RULE_KINDS);

const ruleFields = {
  name: z.string().trim().min(1).max(100),
  kind: ZRuleKind.describe(
    "LINK_DOWN: a link DOWN for forSeconds; SITE_UNAVAILABLE: a cluster UNKNOWN for forSeconds; LOSS_ABOVE: a link's loss above threshold % in every minute of forSeconds; SLICE_NOT_CONVERGED: a slice with a link not UP for forSeconds; SCORE_BELOW: a site's score below threshold",
  ),
  threshold: z.number().min(0).max(100).nullable().optional().describe("Loss % (LOSS_ABOVE) or score (SCORE_BELOW)"),
  forSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(0),
  enabled: z.boolean().default(true),
};

/** Thresholds the kinds need, as field errors. */
export function checkThreshold(kind: (typeof RULE_KINDS)[number], threshold: number | null | undefined): string | null {
  if ((kind === "LOSS_ABOVE" || kind === "SCORE_BELOW") && (threshold === null || threshold === undefined)) return `required for ${kind}`;
  if (kind === "SCORE_BELOW" && threshold !== null && threshold !== undefined && threshold < 1) return "a score threshold is between 1 and 100";
  return null;
}

export const ZCreateRuleInput = z.object(ruleFields);
export type CreateRuleInput = z.infer<typeof ZCreateRuleInput>;
export const ZUpdateRuleInput = z.object({
  id: z.string().min(1).max(64),
  name: ruleFields.name.optional(),
  threshold: ruleFields.threshold,
  forSeconds: ruleFields.forSeconds.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateRuleInput = z.infer<typeof ZUpdateRuleInput>;

export const ZId = z.object({ id: z.string().min(1).max(64) });

export const ZListAlertsInput = z.object({
  state: z.enum(["OPEN", "ACKNOWLEDGED", "RESOLVED"]).optional(),
  cursor: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListAlertsInput = z.infer<typeof ZListAlertsInput>;

export const ZCreateWebhookInput = z.object({
  name: z.string().trim().min(1).max(100),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .describe("Where alert messages are POSTed, signed per the Standard Webhooks specification"),
});
export type CreateWebhookInput = z.infer<typeof ZCreateWebhookInput>;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZAlert = z.object({
  id: z.string(),
  ruleId: z.string(),
  ruleName: z.string(),
  ruleKind: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  state: z.enum(["OPEN", "ACKNOWLEDGED", "RESOLVED"]),
  message: z.string(),
  evidence: z.unknown().describe("What opened it: the values the rule saw"),
  openedAt: z.date(),
  acknowledgedAt: z.date().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.date().nullable(),
});
export const ZRule = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(RULE_KINDS),
  threshold: z.number().nullable(),
  forSeconds: z.number(),
  enabled: z.boolean(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export const ZWebhook = z.object({ id: z.string(), name: z.string(), url: z.string(), enabled: z.boolean(), createdAt: z.date() });
export const ZDelivery = z.object({
  id: z.string(),
  alertId: z.string().nullable(),
  eventType: z.string(),
  status: z.string(),
  attempts: z.number(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
  deliveredAt: z.date().nullable(),
});
export const ZAlertPage = z.object({ items: z.array(ZAlert), nextCursor: z.string().nullable() });
export const ZRuleList = z.array(ZRule);
export const ZWebhookList = z.array(ZWebhook);
export const ZCreatedWebhook = ZWebhook.extend({ secret: z.string().describe("Standard Webhooks signing secret (whsec_…); shown once") });
export const ZDeletedId = z.object({ id: z.string() });
export const ZTestDelivery = z.object({ deliveryId: z.string() });
export const ZDeliveryList = z.array(ZDelivery);
