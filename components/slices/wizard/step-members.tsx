"use client";
import { Field } from "../../ui/field";
import { Table, TBody, TD, TH, THead, TR } from "../../ui/table";
import { fieldError } from "../slice-meta";
import { AvailabilityBadge, SiteBadge } from "../status-badges";
import { withoutMember } from "./draft";
import { ClusterPicker } from "./cluster-picker";
import type { StepProps } from "./step-props";

export function StepMembers({ draft, update, errors, preview }: StepProps) {
  const planned = new Map((preview?.members ?? []).map((m) => [m.clusterName, m]));
  const max = Number(draft.maxClusters) || 16;
  return (
    <div className="flex flex-col gap-5">
      <Field
        label="Member clusters"
        hint={`${draft.members.length} of at most ${max}. Each member gets a share of the slice subnet and a gateway.`}
        error={fieldError(errors, "members", "Members", true)}
      >
        <ClusterPicker
          value={draft.members}
          onAdd={(name) => update((d) => ({ ...d, members: [...d.members, name] }), ["members"])}
          onRemove={(name) => update((d) => withoutMember(d, name), ["members", "topology", "namespaceIsolation"])}
        />
      </Field>
      {draft.members.length ? (
        <div className="overflow-hidden rounded-lg border border-border">
          <Table aria-label="Planned shares">
            <THead>
              <TR>
                <TH>Cluster</TH>
                <TH>Site type</TH>
                <TH>Availability</TH>
                <TH className="text-right">Index</TH>
                <TH>Share subnet</TH>
              </TR>
            </THead>
            <TBody>
              {draft.members.map((name) => {
                const m = planned.get(name);
                return (
                  <TR key={name}>
                    <TD className="font-medium">{name}</TD>
                    <TD>{m ? <SiteBadge siteType={m.siteType} /> : <span className="text-muted-foreground">—</span>}</TD>
                    <TD>{m ? <AvailabilityBadge availability={m.availability} /> : <span className="text-[13px] text-muted-foreground">{preview ? "—" : "…"}</span>}</TD>
                    <TD className="text-right font-mono text-[13px] tabular-nums">{m?.index ?? "—"}</TD>
                    <TD className="font-mono text-[13px]">{m?.subnet ?? "—"}</TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </div>
      ) : null}
    </div>
  );
}
