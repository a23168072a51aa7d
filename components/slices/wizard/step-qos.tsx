"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/lib/trpc";
import { kbps, qosSummary } from "../../qos-profiles/qos-meta";
import { useTenant } from "../../shell/tenant-context";
import { Field } from "../../ui/field";
import { Input } from "../../ui/input";
import { Select } from "../../ui/select";
import { fieldError } from "../slice-meta";
import { ChoiceCards } from "./choice-cards";
import { DSCP_CLASSES, type Draft, type QosMode } from "./draft";
import type { StepProps } from "./step-props";

const MODES: Array<{ value: QosMode; label: string; hint: string }> = [
  { value: "none", label: "Best effort", hint: "No shaping: slice traffic shares the gateways with everything else." },
  { value: "profile", label: "Tenant profile", hint: "A named profile shared by slices; changing it re-delivers them all." },
  { value: "custom", label: "Custom values", hint: "An HTB priority, rates and DSCP class for this slice alone." },
];

function ProfilePicker({ draft, update, errors }: Pick<StepProps, "draft" | "update" | "errors">) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  // Profiles may be created in another tab meanwhile: read them afresh on focus.
  const q = useQuery({ ...trpc.qosProfiles.list.queryOptions({ tenant: slug }), staleTime: 0, refetchOnWindowFocus: true });
  const profiles = q.data?.items ?? [];
  const chosen = profiles.find((p) => p.name === draft.qosProfile);
  const manage = (
    <Link href={`/t/${slug}/qos-profiles`} target="_blank" rel="noopener" className="font-medium text-accent hover:underline">
      QoS profiles page
    </Link>
  );
  // A stored name the list no longer has stays selectable, so the server can say what is wrong with it.
  const options = profiles.map((p) => ({ value: p.name, label: p.name, hint: qosSummary(p) }));
  if (draft.qosProfile && !chosen && !q.isPending) options.push({ value: draft.qosProfile, label: draft.qosProfile, hint: "not found" });
  return (
    <div className="flex flex-col gap-4">
      <Field
        label="QoS profile"
        hint={<>Profiles of this tenant. Create or change them on the {manage} (opens in a new tab).</>}
        // An empty choice is not a bad name: say what to do rather than the name rule.
        error={
          fieldError(errors, "qosProfile", "QoS profile") && !draft.qosProfile
            ? "Pick a QoS profile or create one"
            : fieldError(errors, "qosProfile", "QoS profile")
        }
      >
        <Select
          value={draft.qosProfile || undefined}
          placeholder={q.isPending ? "Loading profiles…" : profiles.length ? "Pick a profile" : "No profiles yet"}
          disabled={q.isPending || options.length === 0}
          onValueChange={(v) => update({ qosProfile: v }, ["qosProfile"])}
          options={options}
          className="w-72"
        />
      </Field>
      {chosen ? (
        <dl aria-label={`Values of ${chosen.name}`} className="grid grid-cols-2 gap-3 rounded-lg border border-border p-3 text-[13px] sm:grid-cols-4">
          <div>
            <dt className="text-xs text-muted-foreground">Priority</dt>
            <dd>{chosen.priority}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">DSCP class</dt>
            <dd>{chosen.dscpClass}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Guaranteed</dt>
            <dd className="tabular-nums">{kbps(chosen.bandwidthGuaranteedKbps)}</dd>
          </div>
          <div>
            <dt className="text-xs text-muted-foreground">Ceiling</dt>
            <dd className="tabular-nums">{kbps(chosen.bandwidthCeilingKbps)}</dd>
          </div>
        </dl>
      ) : null}
    </div>
  );
}

function CustomValues({ draft, update, errors }: Pick<StepProps, "draft" | "update" | "errors">) {
  const set = (patch: Partial<Draft["qos"]>) => update((d) => ({ ...d, qos: { ...d.qos, ...patch } }), ["qos"]);
  const q = draft.qos;
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <Field label="Priority" hint="0 is the highest, 7 the lowest." error={fieldError(errors, "qos.priority", "Priority")}>
        <Input value={q.priority} onChange={(e) => set({ priority: e.target.value })} inputMode="numeric" className="w-24 tabular-nums" />
      </Field>
      <Field label="DSCP class" hint="Marks tunnel packets for the networks in between." error={fieldError(errors, "qos.dscpClass", "DSCP class")}>
        <Select value={q.dscpClass} onValueChange={(v) => set({ dscpClass: v })} options={DSCP_CLASSES.map((c) => ({ value: c, label: c }))} className="w-40" />
      </Field>
      <Field
        label="Bandwidth ceiling (kbps)"
        hint="The most the slice may use on a gateway."
        error={fieldError(errors, "qos.bandwidthCeilingKbps", "Bandwidth ceiling")}
      >
        <Input value={q.ceiling} onChange={(e) => set({ ceiling: e.target.value })} inputMode="numeric" className="w-40 tabular-nums" />
      </Field>
      <Field
        label="Guaranteed bandwidth (kbps)"
        hint="Reserved for the slice; at most the ceiling."
        error={fieldError(errors, "qos.bandwidthGuaranteedKbps", "Guaranteed bandwidth")}
      >
        <Input value={q.guaranteed} onChange={(e) => set({ guaranteed: e.target.value })} inputMode="numeric" className="w-40 tabular-nums" />
      </Field>
      {fieldError(errors, "qos", "QoS") ? <p className="text-[13px] text-danger-subtle-foreground sm:col-span-2">{fieldError(errors, "qos", "QoS")}</p> : null}
    </div>
  );
}

export function StepQos({ draft, update, errors }: StepProps) {
  return (
    <div className="flex flex-col gap-5">
      <ChoiceCards label="QoS" value={draft.qosMode} choices={MODES} onChange={(qosMode) => update({ qosMode }, ["qos", "qosProfile"])} />
      {draft.qosMode === "profile" ? <ProfilePicker draft={draft} update={update} errors={errors} /> : null}
      {draft.qosMode === "custom" ? <CustomValues draft={draft} update={update} errors={errors} /> : null}
    </div>
  );
}
