"use client";
// The draft policy: a form for the common fields, or YAML for all of them. Checked
// against the fleet as it changes (warnings and errors by field).
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Field } from "../ui/field";
import { Input, Textarea } from "../ui/input";
import { fromYaml, listOf, parsePorts, portsText, toYaml, type PolicyDraft } from "./draft";

export function PolicyEditor({ draft, onChange, editingId }: { draft: PolicyDraft; onChange: (d: PolicyDraft) => void; editingId?: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [mode, setMode] = useState<"form" | "yaml">("form");
  const [yaml, setYaml] = useState(() => toYaml(draft));
  const [yamlError, setYamlError] = useState<string | null>(null);
  const check = useMutation(trpc.policies.check.mutationOptions());
  const { mutate } = check;
  useEffect(() => {
    if (!draft.name) return;
    const t = setTimeout(() => mutate({ tenant: slug, ...draft, ...(editingId ? { id: editingId } : {}) }), 300);
    return () => clearTimeout(t);
  }, [draft, slug, editingId, mutate]);

  const set = (patch: Partial<PolicyDraft>) => onChange({ ...draft, ...patch });
  const side = (which: "from" | "to") => {
    const s = draft[which];
    return (
      <fieldset className="flex flex-col gap-2 rounded-md border border-border p-3">
        <legend className="px-1 text-sm font-medium">{which === "from" ? "From" : "To"}</legend>
        <Field label="Clusters (names, comma-separated; empty = all)">
          <Input
            value={s.clusters?.names?.join(", ") ?? ""}
            onChange={(e) => set({ [which]: { ...s, clusters: { ...s.clusters, names: listOf(e.target.value) } } })}
          />
        </Field>
        <Field label="Cluster label selector" hint="e.g. env=prod,region in (eu-west,eu-central)">
          <Input
            value={s.clusters?.selector ?? ""}
            onChange={(e) => set({ [which]: { ...s, clusters: { ...s.clusters, selector: e.target.value || undefined } } })}
          />
        </Field>
        <Field label="Namespaces (names; empty = all)">
          <Input
            value={s.namespaces?.names?.join(", ") ?? ""}
            onChange={(e) => set({ [which]: { ...s, namespaces: { ...s.namespaces, names: listOf(e.target.value) } } })}
          />
        </Field>
        <Field label="Pod label selector">
          <Input value={s.pods ?? ""} onChange={(e) => set({ [which]: { ...s, pods: e.target.value || undefined } })} />
        </Field>
      </fieldset>
    );
  };

  const findings = check.data;
  return (
    <div className="flex flex-col gap-3">
      <div role="tablist" className="flex gap-2 text-sm">
        {(["form", "yaml"] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? "font-semibold underline" : "text-muted-foreground"}
            onClick={() => {
              if (m === "yaml") setYaml(toYaml(draft));
              setMode(m);
            }}
          >
            {m === "form" ? "Form" : "YAML"}
          </button>
        ))}
      </div>
      {mode === "form" ? (
        <div className="grid gap-3 md:grid-cols-2">
          <Field label="Name">
            <Input value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          </Field>
          <Field label="Priority (lower wins)">
            <Input type="number" value={draft.priority} onChange={(e) => set({ priority: Number(e.target.value) })} />
          </Field>
          <Field label="Action">
            <select
              aria-label="Action"
              className="rounded-md border border-border bg-background px-2 py-1.5 text-sm"
              value={draft.action}
              onChange={(e) => set({ action: e.target.value as "ALLOW" | "DENY" })}
            >
              <option value="ALLOW">ALLOW</option>
              <option value="DENY">DENY</option>
            </select>
          </Field>
          <Field label="Ports" hint="e.g. TCP 8080, UDP 53, TCP 9000-9100; empty = all">
            <Input value={portsText(draft.ports)} onChange={(e) => set({ ports: parsePorts(e.target.value) })} />
          </Field>
          {side("from")}
          {side("to")}
        </div>
      ) : (
        <Field label="Policy YAML" error={yamlError ?? undefined}>
          <Textarea
            rows={16}
            className="font-mono text-xs"
            value={yaml}
            onChange={(e) => {
              setYaml(e.target.value);
              const r = fromYaml(e.target.value);
              setYamlError(r.ok ? null : r.message);
              if (r.ok) onChange(r.draft);
            }}
          />
        </Field>
      )}
      {findings ? (
        <ul aria-label="Validation" className="flex flex-col gap-1 text-sm">
          {findings.errors.map((f, i) => (
            <li key={`e${i}`} className="text-danger">
              {f.field}: {f.message}
            </li>
          ))}
          {findings.warnings.map((f, i) => (
            <li key={`w${i}`} className="text-warning">
              {f.field}: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
