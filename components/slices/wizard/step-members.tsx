"use client";
import { Field } from "../../ui/field";
import { Select } from "../../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../../ui/table";
import { errorsAt, fieldError, sentence } from "../slice-meta";
import { AvailabilityBadge, SiteBadge } from "../status-badges";
import { withoutMember, type GatewayChoice } from "./draft";
import { ClusterPicker } from "./cluster-picker";
import type { StepProps } from "./step-props";

const CHOICES: GatewayChoice[] = [
  { type: "NodePort", protocol: "UDP" },
  { type: "NodePort", protocol: "TCP" },
  { type: "LoadBalancer", protocol: "UDP" },
  { type: "LoadBalancer", protocol: "TCP" },
];
const choiceKey = (c: GatewayChoice) => `${c.type}/${c.protocol}`;
const choiceLabel = (c: GatewayChoice) => `${c.type} / ${c.protocol}`;

/**
 * Per-cluster exceptions to the slice's gateway service (KubeSlice's
 * sliceGatewayServiceType entries), e.g. a LoadBalancer where NodePorts are not reachable.
 */
function GatewayOverrides({ draft, update, errors }: Pick<StepProps, "draft" | "update" | "errors">) {
  const base = draft.gatewayService;
  const overrides = base.overrides;
  const set = (name: string, key: string) =>
    update((d) => {
      const next = { ...d.gatewayService.overrides };
      const choice = CHOICES.find((c) => choiceKey(c) === key);
      if (choice) next[name] = choice;
      else delete next[name];
      return { ...d, gatewayService: { ...d.gatewayService, overrides: next } };
    }, ["gatewayService"]);
  // Overrides for clusters that are not (or no longer) members: the server names them.
  const strays = Object.keys(overrides).filter((n) => !draft.members.includes(n));
  const strayErrors = strays.flatMap((n) => errorsAt(errors, `gatewayService.overrides.${n}`, true).map((m) => sentence(m, "Gateway service override")));
  return (
    <fieldset className="flex flex-col gap-3">
      <div>
        <legend className="text-[13px] font-semibold">Gateway service per cluster</legend>
        <p className="text-[13px] text-muted-foreground">
          Every member exposes its gateway as the slice default, {choiceLabel(base)} (set in Basics), unless it needs something else here.
        </p>
      </div>
      {draft.members.length === 0 ? <p className="text-[13px] text-muted-foreground">Add members first.</p> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        {draft.members.map((name) => {
          const o = overrides[name];
          return (
            <Field key={name} label={<span className="font-mono">{name}</span>} error={fieldError(errors, `gatewayService.overrides.${name}`, `Gateway service for ${name}`, true)}>
              <Select
                aria-label={`Gateway service for ${name}`}
                value={o ? choiceKey(o) : "default"}
                className="sm:max-w-xs"
                onValueChange={(v) => set(name, v)}
                options={[{ value: "default", label: `Slice default (${choiceLabel(base)})` }, ...CHOICES.map((c) => ({ value: choiceKey(c), label: choiceLabel(c) }))]}
              />
            </Field>
          );
        })}
      </div>
      {strayErrors.length ? <p className="text-[13px] text-danger-subtle-foreground">{strayErrors.join(" ")}</p> : null}
    </fieldset>
  );
}

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
          onRemove={(name) => update((d) => withoutMember(d, name), ["members", "topology", "namespaceIsolation", "gatewayService"])}
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
      <GatewayOverrides draft={draft} update={update} errors={errors} />
    </div>
  );
}
