"use client";
import { Field } from "../../ui/field";
import { Input } from "../../ui/input";
import { Select } from "../../ui/select";
import { fieldError } from "../slice-meta";
import { Switch } from "../switch";
import { DSCP_CLASSES, type Draft } from "./draft";
import type { StepProps } from "./step-props";

export function StepQos({ draft, update, errors }: StepProps) {
  const set = (patch: Partial<Draft["qos"]>) => update((d) => ({ ...d, qos: { ...d.qos, ...patch } }), ["qos"]);
  const q = draft.qos;
  return (
    <div className="flex flex-col gap-5">
      <Switch
        checked={draft.qosEnabled}
        onCheckedChange={(on) => update({ qosEnabled: on }, ["qos"])}
        label="Shape slice traffic"
        description="An HTB profile on every gateway: a priority, a guaranteed rate and a ceiling, and a DSCP class on the tunnel packets. Off means best effort."
      />
      {draft.qosEnabled ? (
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label="Priority" hint="0 is the highest, 7 the lowest." error={fieldError(errors, "qos.priority", "Priority")}>
            <Input value={q.priority} onChange={(e) => set({ priority: e.target.value })} inputMode="numeric" className="w-24 tabular-nums" />
          </Field>
          <Field label="DSCP class" hint="Marks tunnel packets for the networks in between." error={fieldError(errors, "qos.dscpClass", "DSCP class")}>
            <Select value={q.dscpClass} onValueChange={(v) => set({ dscpClass: v })} options={DSCP_CLASSES.map((c) => ({ value: c, label: c }))} className="w-40" />
          </Field>
          <Field label="Bandwidth ceiling (kbps)" hint="The most the slice may use on a gateway." error={fieldError(errors, "qos.bandwidthCeilingKbps", "Bandwidth ceiling")}>
            <Input value={q.ceiling} onChange={(e) => set({ ceiling: e.target.value })} inputMode="numeric" className="w-40 tabular-nums" />
          </Field>
          <Field label="Guaranteed bandwidth (kbps)" hint="Reserved for the slice; at most the ceiling." error={fieldError(errors, "qos.bandwidthGuaranteedKbps", "Guaranteed bandwidth")}>
            <Input value={q.guaranteed} onChange={(e) => set({ guaranteed: e.target.value })} inputMode="numeric" className="w-40 tabular-nums" />
          </Field>
          {fieldError(errors, "qos", "QoS") ? <p className="text-[13px] text-danger-subtle-foreground sm:col-span-2">{fieldError(errors, "qos", "QoS")}</p> : null}
        </div>
      ) : null}
    </div>
  );
}
