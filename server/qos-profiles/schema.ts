// A tenant QoS profile: a name slices refer to (`qosProfile: "<name>"`) and the HTB
// values they then get. The value rules and their messages are the slice spec's own
// (server/bundles/qos-rules.ts), naming the profile's fields without the `qos.` prefix.
import { z } from "zod";
import { description, dnsLabel } from "../platform/field-rules";
import { ZRolloutSummary } from "../rollouts/schema";
import { DSCP_CLASSES, guaranteedWithinCeiling, qosValueShape } from "../bundles/qos-rules";

export const ZQosProfileName = dnsLabel("name");

const fields = {
  name: ZQosProfileName,
  description: description().optional(),
  ...qosValueShape(),
};

export const ZCreateQosProfileInput = z.object(fields).superRefine(guaranteedWithinCeiling());
export type CreateQosProfileInput = z.input<typeof ZCreateQosProfileInput>;

/** A change to some fields; the guaranteed ≤ ceiling rule is checked on the merged values. */
export const ZUpdateQosProfileInput = z.object({
  ...z.object(fields).partial().shape,
  // null removes the description.
  description: description().nullish(),
});
export type UpdateQosProfileInput = z.input<typeof ZUpdateQosProfileInput>;

/** The fields a profile is shown with, everywhere it is read. */
export const QOS_PROFILE_SELECT = {
  id: true,
  name: true,
  description: true,
  priority: true,
  bandwidthCeilingKbps: true,
  bandwidthGuaranteedKbps: true,
  dscpClass: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

// Outputs: allow-lists of what each procedure returns (z.object drops every other key).
export const ZProfile = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  priority: z.number(),
  bandwidthCeilingKbps: z.number(),
  bandwidthGuaranteedKbps: z.number(),
  dscpClass: z.enum(DSCP_CLASSES),
  /** Bumped by every change; the REST ETag. */
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  /** The slices that use the profile. */
  slices: z.array(z.object({ id: z.string(), name: z.string() })),
});
export const ZProfileList = z.object({ items: z.array(ZProfile) });
export const ZUpdatedProfile = ZProfile.extend({ revisions: z.record(z.string(), z.number()), rollout: ZRolloutSummary });
export const ZOk = z.object({ ok: z.literal(true) });
