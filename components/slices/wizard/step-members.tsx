"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toFormError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../../shell/tenant-context";
import { Button } from "../../ui/button";
import { Field } from "../../ui/field";
import { Input } from "../../ui/input";
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
    update(
      (d) => {
        const next = { ...d.gatewayService.overrides };
        const choice = CHOICES.find((c) => choiceKey(c) === key);
        if (choice) next[name] = choice;
        else delete next[name];
        return { ...d, gatewayService: { ...d.gatewayService, overrides: next } };
      },
      ["gatewayService"],
    );
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
            <Field
              key={name}
              label={<span className="font-mono">{name}</span>}
              error={fieldError(errors, `gatewayService.overrides.${name}`, `Gateway service for ${name}`, true)}
            >
              <Select
                aria-label={`Gateway service for ${name}`}
                value={o ? choiceKey(o) : "default"}
                className="sm:max-w-xs"
                onValueChange={(v) => set(name, v)}
                options={[
                  { value: "default", label: `Slice default (${choiceLabel(base)})` },
                  ...CHOICES.map((c) => ({ value: choiceKey(c), label: choiceLabel(c) })),
                ]}
              />
            </Field>
          );
        })}
      </div>
      {strayErrors.length ? <p className="text-[13px] text-danger-subtle-foreground">{strayErrors.join(" ")}</p> : null}
    </fieldset>
  );
}

/** Every cluster matching a label selector (key=value,…) joins at once, as the clusters page filters them. */
function AddByLabels({ members, onAdd }: { members: string[]; onAdd: (names: string[]) => void }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [selector, setSelector] = useState("");
  const [note, setNote] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const add = async () => {
    const labels = selector.trim();
    if (!labels) return;
    setBusy(true);
    setNote(null);
    try {
      const page = await qc.fetchQuery(trpc.clusters.list.queryOptions({ tenant: slug, labels, limit: 200 }));
      const names = page.items.map((c) => c.name).filter((n) => !members.includes(n));
      onAdd(names);
      const more = page.nextCursor ? " (the first 200 matches)" : "";
      setNote({
        tone: "ok",
        text:
          page.items.length === 0
            ? `No cluster has the labels ${labels}.`
            : `Added ${names.length} cluster${names.length === 1 ? "" : "s"}${more}; ${page.items.length - names.length} already a member.`,
      });
    } catch (err) {
      setNote({ tone: "error", text: toFormError(err).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Field label="Add by labels" hint="Every cluster with all of these labels, e.g. env=prod,region=eu." error={note?.tone === "error" ? note.text : undefined}>
      <div className="flex flex-wrap items-center gap-2">
        <Input
          value={selector}
          placeholder="key=value,…"
          className="w-72 font-mono text-[13px]"
          onChange={(e) => setSelector(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              void add();
            }
          }}
        />
        <Button variant="secondary" size="sm" loading={busy} disabled={!selector.trim()} onClick={() => void add()}>
          Add matching clusters
        </Button>
        {note?.tone === "ok" ? (
          <span role="status" className="text-[13px] text-muted-foreground">
            {note.text}
          </span>
        ) : null}
      </div>
    </Field>
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
          onRemove={(name) => update((d) => withoutMember(d, name), ["members", "topology", "gatewayService"])}
        />
      </Field>
      <AddByLabels
        members={draft.members}
        onAdd={(names) => update((d) => ({ ...d, members: [...d.members, ...names.filter((n) => !d.members.includes(n))] }), ["members"])}
      />
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
                    <TD>
                      {m ? (
                        <AvailabilityBadge availability={m.availability} />
                      ) : (
                        <span className="text-[13px] text-muted-foreground">{preview ? "—" : "…"}</span>
                      )}
                    </TD>
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
