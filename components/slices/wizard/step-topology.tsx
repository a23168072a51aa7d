"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { PlusIcon, XIcon } from "../../icons";
import { useTenant } from "../../shell/tenant-context";
import { Button } from "../../ui/button";
import { Field } from "../../ui/field";
import { Select } from "../../ui/select";
import { errorsAt, fieldError, sentence } from "../slice-meta";
import { ChoiceCards } from "./choice-cards";
import { MemberToggles } from "./cluster-picker";
import type { Draft, StepId } from "./draft";
import { LivePreview } from "./live-preview";
import type { StepProps } from "./step-props";

const KINDS: Array<{ value: Draft["topologyKind"]; label: string; hint: string }> = [
  { value: "FULL_MESH", label: "Full mesh", hint: "Every member links to every other. Fewest hops, most tunnels." },
  { value: "HUB_SPOKE", label: "Hub and spoke", hint: "Spokes link only to hubs. Connects clusters behind NAT through a reachable hub." },
  { value: "CUSTOM", label: "Custom pairs", hint: "Exactly the links you list." },
];

function PairsEditor({ draft, update, errors }: Pick<StepProps, "draft" | "update" | "errors">) {
  const options = draft.members.map((m) => ({ value: m, label: m }));
  const setPair = (i: number, side: 0 | 1, name: string) =>
    update(
      (d) => ({ ...d, pairs: d.pairs.map((p, j) => (j === i ? ((side === 0 ? [name, p[1]] : [p[0], name]) as [string, string]) : p)) }),
      [`topology.pairs.${i}`],
    );
  const listError = fieldError(errors, "topology.pairs", "Pairs");
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="mb-1.5 text-[13px] font-medium">Pairs</legend>
      {draft.pairs.length === 0 ? <p className="text-[13px] text-muted-foreground">No pairs yet: the members will not be linked.</p> : null}
      {draft.pairs.map(([a, b], i) => {
        const problems = errorsAt(errors, `topology.pairs.${i}`, true);
        return (
          <Field
            key={i}
            label={<span className="sr-only">Pair {i + 1}</span>}
            error={problems.length ? problems.map((m) => sentence(m, "Pair")).join(" ") : undefined}
            className="gap-1"
          >
            <div className="flex items-center gap-2">
              <Select
                aria-label={`Pair ${i + 1}, first cluster`}
                value={a || undefined}
                placeholder="Cluster"
                options={options}
                onValueChange={(v) => setPair(i, 0, v)}
                className="min-w-0 flex-1"
              />
              <span aria-hidden="true" className="text-muted-foreground">
                ⇄
              </span>
              <Select
                id={`pair-${i}-b`}
                aria-label={`Pair ${i + 1}, second cluster`}
                value={b || undefined}
                placeholder="Cluster"
                options={options}
                onValueChange={(v) => setPair(i, 1, v)}
                className="min-w-0 flex-1"
              />
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Remove pair ${i + 1}`}
                onClick={() => update((d) => ({ ...d, pairs: d.pairs.filter((_, j) => j !== i) }), ["topology"])}
              >
                <XIcon className="size-4" />
              </Button>
            </div>
          </Field>
        );
      })}
      {listError ? <p className="text-[13px] text-danger-subtle-foreground">{listError}</p> : null}
      <div>
        <Button
          variant="secondary"
          size="sm"
          disabled={draft.members.length < 2}
          onClick={() => {
            // Start from the first two members not yet paired with each other, if any.
            const ms = draft.members;
            const taken = new Set(draft.pairs.map((p) => [...p].sort().join("\n")));
            let pick: [string, string] = ["", ""];
            outer: for (let x = 0; x < ms.length; x++)
              for (let y = x + 1; y < ms.length; y++)
                if (!taken.has([ms[x]!, ms[y]!].sort().join("\n"))) {
                  pick = [ms[x]!, ms[y]!];
                  break outer;
                }
            // A new row is not a mistake yet: its problems show once it is edited (or the step left).
            update((d) => ({ ...d, pairs: [...d.pairs, pick] }), []);
          }}
        >
          <PlusIcon className="size-3.5" />
          Add pair
        </Button>
      </div>
    </fieldset>
  );
}

export function StepTopology(props: StepProps & { onGo: (step: StepId) => void }) {
  const { draft, update, errors, preview, previewLoading, onGo } = props;
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  // Hub and spoke, with no hubs chosen yet: start from the members a spoke can dial (not
  // behind NAT); the preview still checks each has a gateway endpoint.
  const chooseKind = async (k: Draft["topologyKind"]) => {
    update({ topologyKind: k }, ["topology"]);
    if (k !== "HUB_SPOKE" || draft.hubs.length > 0 || draft.members.length === 0) return;
    const list = await qc.fetchQuery(trpc.clusters.list.queryOptions({ tenant: slug, limit: 200 })).catch(() => null);
    const reachable = new Set((list?.items ?? []).filter((c) => !c.behindNat).map((c) => c.name));
    const hubs = draft.members.filter((m) => reachable.has(m));
    if (hubs.length > 0 && hubs.length < draft.members.length) update((d) => (d.topologyKind === "HUB_SPOKE" && d.hubs.length === 0 ? { ...d, hubs } : d), []);
  };
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,5fr)_minmax(0,7fr)]">
      <div className="flex flex-col gap-5">
        <ChoiceCards label="Topology" value={draft.topologyKind} choices={KINDS} onChange={(k) => void chooseKind(k)} />
        {draft.topologyKind === "HUB_SPOKE" ? (
          <Field
            label="Hubs"
            hint="Reachable clusters (public endpoint, not behind NAT) that every spoke links to."
            error={fieldError(errors, "topology.hubs", "Hubs", true)}
          >
            <MemberToggles label="Hubs" members={draft.members} value={draft.hubs} onChange={(hubs) => update({ hubs }, ["topology"])} />
          </Field>
        ) : null}
        {draft.topologyKind === "CUSTOM" ? <PairsEditor draft={draft} update={update} errors={errors} /> : null}
        <p className="text-[13px] text-muted-foreground">
          The server end of each link is the cluster the other can reach. A cluster behind NAT is always a client, so two NATed clusters cannot be linked
          directly; a hub that both can reach solves it.
        </p>
      </div>
      <LivePreview preview={preview} loading={previewLoading} members={draft.members} onGo={onGo} />
    </div>
  );
}
