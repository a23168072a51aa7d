"use client";
import { PlusIcon, XIcon } from "../../icons";
import { Button } from "../../ui/button";
import { Field, useField } from "../../ui/field";
import { Input } from "../../ui/input";
import { fieldError } from "../slice-meta";
import { Switch } from "../switch";
import { MemberToggles } from "./cluster-picker";
import { newNamespace, type Draft, type NamespaceDraft } from "./draft";
import type { StepProps } from "./step-props";

/** "*": the namespace on every member, now and as members join. Labelled by its Field. */
function EverywhereCheckbox({ checked, onChange }: { checked: boolean; onChange: (checked: boolean) => void }) {
  const field = useField();
  return (
    <span className="flex items-center gap-2 text-[13px]">
      <input
        id={field?.id}
        type="checkbox"
        checked={checked}
        onChange={(ev) => onChange(ev.target.checked)}
        aria-invalid={field?.invalid || undefined}
        aria-describedby={field?.describedBy}
        className="size-3.5 accent-[var(--accent)]"
      />
      <label htmlFor={field?.id}>
        Every member (<code className="font-mono">*</code>)
      </label>
    </span>
  );
}

type ListKey = "applicationNamespaces" | "allowedNamespaces";

function NamespaceList({
  list,
  title,
  hint,
  draft,
  update,
  errors,
}: { list: ListKey; title: string; hint: string } & Pick<StepProps, "draft" | "update" | "errors">) {
  const entries = draft[list];
  const path = `namespaceIsolation.${list}`;
  // Touched: the row edited (its problems show, a new row's do not), or the list when a row goes (the rows after it move up).
  const edit = (fn: (entries: NamespaceDraft[]) => NamespaceDraft[], touched: string) => update((d: Draft) => ({ ...d, [list]: fn(d[list]) }), [touched]);
  const setEntry = (key: number, patch: Partial<NamespaceDraft>) =>
    edit((es) => es.map((e) => (e.key === key ? { ...e, ...patch } : e)), `${path}.${entries.findIndex((e) => e.key === key)}`);
  const listError = fieldError(errors, path, title);
  return (
    <fieldset className="flex flex-col gap-3">
      <div>
        <legend className="text-[13px] font-semibold">{title}</legend>
        <p className="text-[13px] text-muted-foreground">{hint}</p>
      </div>
      {entries.length === 0 ? <p className="text-[13px] text-muted-foreground">None.</p> : null}
      {entries.map((e, i) => (
        <div key={e.key} className="flex flex-col gap-3 rounded-lg border border-border p-3 sm:flex-row sm:items-start">
          <Field
            label="Namespace"
            className="sm:w-56"
            error={fieldError(errors, `${path}.${i}.namespace`, "Namespace") ?? fieldError(errors, `${path}.${i}`, "Namespace")}
          >
            <Input
              value={e.namespace}
              onChange={(ev) => setEntry(e.key, { namespace: ev.target.value })}
              placeholder="payments"
              className="font-mono"
              spellCheck={false}
              autoComplete="off"
            />
          </Field>
          <Field label="On clusters" className="min-w-0 flex-1" error={fieldError(errors, `${path}.${i}.clusters`, "Clusters", true)}>
            <div className="flex flex-col gap-2">
              <EverywhereCheckbox checked={e.everywhere} onChange={(everywhere) => setEntry(e.key, { everywhere })} />
              {e.everywhere ? null : (
                <MemberToggles
                  label={`Clusters for ${e.namespace || "namespace"}`}
                  members={draft.members}
                  value={e.clusters}
                  onChange={(clusters) => setEntry(e.key, { clusters })}
                />
              )}
            </div>
          </Field>
          <Button
            variant="ghost"
            size="icon"
            className="self-end sm:mt-6 sm:self-start"
            aria-label={`Remove ${e.namespace || "namespace"}`}
            onClick={() => edit((es) => es.filter((x) => x.key !== e.key), path)}
          >
            <XIcon className="size-4" />
          </Button>
        </div>
      ))}
      {listError ? <p className="text-[13px] text-danger-subtle-foreground">{listError}</p> : null}
      <div>
        {/* A new, still empty row is not a mistake yet: adding it touches nothing. */}
        <Button variant="secondary" size="sm" onClick={() => update((d: Draft) => ({ ...d, [list]: [...d[list], newNamespace()] }), [])}>
          <PlusIcon className="size-3.5" />
          Add namespace
        </Button>
      </div>
    </fieldset>
  );
}

export function StepNamespaces(props: StepProps) {
  const { draft, update } = props;
  return (
    <div className="flex flex-col gap-6">
      <Switch
        checked={draft.isolationEnabled}
        onCheckedChange={(on) => update({ isolationEnabled: on }, ["namespaceIsolation"])}
        label="Isolate the slice's namespaces"
        description="Compiles NetworkPolicies so application namespaces accept traffic only from the slice and the allowed namespaces."
      />
      <NamespaceList
        {...props}
        list="applicationNamespaces"
        title="Application namespaces"
        hint="The namespaces joined to the slice's overlay, on all members or on the clusters you pick."
      />
      <NamespaceList
        {...props}
        list="allowedNamespaces"
        title="Allowed namespaces"
        hint="Namespaces outside the slice that may still reach the application namespaces (for example monitoring)."
      />
    </div>
  );
}
