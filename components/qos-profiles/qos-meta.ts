// Labels and wording for QoS values, shared by the profiles page and the slice pages.
// Pure: no React.
import type { FieldErrors } from "@/lib/errors";
import type { QosValues } from "@/server/bundles/qos-rules";

// The classes the server accepts, from the one list its rules use.
export { DSCP_CLASSES, type DscpClass } from "@/protocol/qos";

export type { QosValues } from "@/server/bundles/qos-rules";

/** What the forms call the fields the server names in its messages. */
export const QOS_FIELD_LABEL: Record<string, string> = {
  name: "Name",
  description: "Description",
  priority: "Priority",
  bandwidthCeilingKbps: "Bandwidth ceiling",
  bandwidthGuaranteedKbps: "Guaranteed bandwidth",
  dscpClass: "DSCP class",
};

export const kbps = (n: number) => `${n.toLocaleString("en")} kbps`;

/** "priority 1 · 10,240–20,480 kbps · DSCP AF41" */
export function qosSummary(q: QosValues): string {
  return `priority ${q.priority} · ${q.bandwidthGuaranteedKbps.toLocaleString("en")}–${kbps(q.bandwidthCeilingKbps)} · DSCP ${q.dscpClass}`;
}

/**
 * A profile field's problems as a sentence: fragments ("is already taken") get the
 * label in front; the server's field names ("bandwidthGuaranteedKbps must not exceed
 * bandwidthCeilingKbps") read as the labels the form shows.
 */
export function profileFieldError(errors: FieldErrors | undefined, field: string): string | undefined {
  const list = errors?.[field];
  if (!list?.length) return undefined;
  return list
    .map((m) => {
      if (/^(is|are|must|cannot|not)\b/.test(m)) return `${QOS_FIELD_LABEL[field] ?? field} ${m}`;
      const text = m.replace(/\b(priority|bandwidthCeilingKbps|bandwidthGuaranteedKbps|dscpClass|name|description)\b/g, (f, _g, offset: number) =>
        offset === 0 ? QOS_FIELD_LABEL[f]! : QOS_FIELD_LABEL[f]!.toLowerCase(),
      );
      return text.charAt(0).toUpperCase() + text.slice(1);
    })
    .join(" ");
}
