// A slice's QoS as its gateways apply it: its inline values, else its tenant profile's.
import type { DscpClass } from "./qos-rules";
import { ZQos, type Qos } from "./stored-slice";

/** A profile's values as they reach a slice: what compiling and showing a slice need. */
export const QOS_PROFILE_VALUES = { id: true, name: true, priority: true, bandwidthCeilingKbps: true, bandwidthGuaranteedKbps: true, dscpClass: true } as const;

interface ProfileValues {
  priority: number;
  bandwidthCeilingKbps: number;
  bandwidthGuaranteedKbps: number;
  dscpClass: string;
}

/** A stored profile's values as the QoS a slice runs with. */
export function qosOfProfile(p: ProfileValues): Qos {
  return {
    profile: "HTB",
    priority: p.priority,
    bandwidthCeilingKbps: p.bandwidthCeilingKbps,
    bandwidthGuaranteedKbps: p.bandwidthGuaranteedKbps,
    dscpClass: p.dscpClass as DscpClass,
  };
}

/**
 * The QoS the slice's gateways apply: its inline values, else its profile's, else null
 * (best effort). Rows written before the column became nullable may hold {}.
 */
export function effectiveQos(slice: { qos: unknown; qosProfile: ProfileValues | null }): Qos | null {
  if (slice.qos && typeof slice.qos === "object" && Object.keys(slice.qos).length > 0) return ZQos.parse(slice.qos);
  return slice.qosProfile ? qosOfProfile(slice.qosProfile) : null;
}
