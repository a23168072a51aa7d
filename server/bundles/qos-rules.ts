// The QoS values (KubeSlice's HTB bandwidth control) and their rules, in one place: a
// slice's inline `qos` and a tenant QoS profile are checked by the very same rules,
// each message naming the field as the caller spells it.
import { z } from "zod";
import { integer, required } from "../platform/field-rules";

import { DSCP_CLASSES } from "../../protocol/qos";

export { DSCP_CLASSES, type DscpClass } from "../../protocol/qos";

/** Bandwidths are stored as 32-bit integers: about 2 Tbit/s, far above any gateway. */
export const MAX_KBPS = 2_147_483_647;

const named = (prefix: string | undefined, key: string) => (prefix ? `${prefix}.${key}` : key);

/** The four values, their messages naming `<prefix>.<field>` (or the bare field without a prefix). */
export function qosValueShape(prefix?: string) {
  return {
    priority: integer(named(prefix, "priority"), 0, 7),
    bandwidthCeilingKbps: integer(named(prefix, "bandwidthCeilingKbps"), 1, MAX_KBPS),
    bandwidthGuaranteedKbps: integer(named(prefix, "bandwidthGuaranteedKbps"), 0, MAX_KBPS),
    dscpClass: z.enum(DSCP_CLASSES, { error: required(named(prefix, "dscpClass"), `one of ${DSCP_CLASSES.join(", ")}`) }),
  };
}

export type QosValues = z.infer<z.ZodObject<ReturnType<typeof qosValueShape>>>;

/** The cross-field rule: the guaranteed rate cannot exceed the ceiling. Null when it holds. */
export function guaranteedProblem(q: Pick<QosValues, "bandwidthCeilingKbps" | "bandwidthGuaranteedKbps">, prefix?: string): string | null {
  return q.bandwidthGuaranteedKbps <= q.bandwidthCeilingKbps
    ? null
    : `${named(prefix, "bandwidthGuaranteedKbps")} must not exceed ${named(prefix, "bandwidthCeilingKbps")}`;
}

/** `guaranteedProblem` as a zod refinement, reported on bandwidthGuaranteedKbps. */
export function guaranteedWithinCeiling(prefix?: string) {
  return (q: Pick<QosValues, "bandwidthCeilingKbps" | "bandwidthGuaranteedKbps">, ctx: z.RefinementCtx) => {
    const problem = guaranteedProblem(q, prefix);
    if (problem) ctx.addIssue({ code: "custom", path: ["bandwidthGuaranteedKbps"], message: problem });
  };
}

/** Equal QoS values (what KubeSlice import uses to decide that a profile can be reused). */
export function sameQosValues(a: QosValues, b: QosValues): boolean {
  return (
    a.priority === b.priority &&
    a.bandwidthCeilingKbps === b.bandwidthCeilingKbps &&
    a.bandwidthGuaranteedKbps === b.bandwidthGuaranteedKbps &&
    a.dscpClass === b.dscpClass
  );
}
