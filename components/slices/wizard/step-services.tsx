"use client";
// Service exports: a service of one member (its source cluster) offered to the whole
// slice, on the ports listed, under optional extra DNS names (KubeSlice's
// ServiceExportConfig).
import { PlusIcon, XIcon } from "../../icons";
import { Button } from "../../ui/button";
import { Field } from "../../ui/field";
import { Input } from "../../ui/input";
import { Select } from "../../ui/select";
import { errorsAt, fieldError, sentence } from "../slice-meta";
import { newPort, newServiceExport, type Draft, type PortDraft, type PortProtocol, type ServiceExportDraft } from "./draft";
import type { StepProps } from "./step-props";

const PROTOCOLS: PortProtocol[] = ["TCP", "UDP", "SCTP"];

function PortRow({
  port,
  index,
  path,
  label,
  onChange,
  onRemove,
  errors,
}: { port: PortDraft; index: number; path: string; label: string; onChange: (p: Partial<PortDraft>) => void; onRemove: () => void } & Pick<
  StepProps,
  "errors"
>) {
  const at = `${path}.ports.${index}`;
  // A duplicate port/protocol is reported on the row itself.
  const rowErrors = errorsAt(errors, at).map((m) => sentence(m, "Port"));
  return (
    <div className="flex flex-col gap-1">
      <div className="flex flex-wrap items-start gap-2">
        <Field label={<span className="sr-only">Port {index + 1} name</span>} className="w-36 gap-0" error={fieldError(errors, `${at}.name`, "Port name")}>
          <Input
            aria-label={`${label} port ${index + 1} name`}
            value={port.name}
            onChange={(e) => onChange({ name: e.target.value })}
            placeholder="https"
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Field label={<span className="sr-only">Port {index + 1}</span>} className="w-28 gap-0" error={fieldError(errors, `${at}.port`, "Port")}>
          <Input
            aria-label={`${label} port ${index + 1}`}
            value={port.port}
            onChange={(e) => onChange({ port: e.target.value })}
            placeholder="8080"
            inputMode="numeric"
            className="tabular-nums"
          />
        </Field>
        <Select
          aria-label={`${label} port ${index + 1} protocol`}
          value={port.protocol}
          onValueChange={(v) => onChange({ protocol: v })}
          options={PROTOCOLS.map((p) => ({ value: p, label: p }))}
          className="w-24"
        />
        <Button variant="ghost" size="icon" aria-label={`Remove ${label} port ${index + 1}`} onClick={onRemove}>
          <XIcon className="size-4" />
        </Button>
      </div>
      {rowErrors.length ? <p className="text-[13px] text-danger-subtle-foreground">{rowErrors.join(" ")}</p> : null}
    </div>
  );
}

function ExportCard({
  entry,
  index,
  draft,
  edit,
  errors,
}: { entry: ServiceExportDraft; index: number; edit: (fn: (list: ServiceExportDraft[]) => ServiceExportDraft[]) => void } & Pick<
  StepProps,
  "draft" | "errors"
>) {
  const path = `serviceExports.${index}`;
  const label = entry.name || `export ${index + 1}`;
  const set = (patch: Partial<ServiceExportDraft>) => edit((list) => list.map((e) => (e.key === entry.key ? { ...e, ...patch } : e)));
  const setPort = (key: number, patch: Partial<PortDraft>) => set({ ports: entry.ports.map((p) => (p.key === key ? { ...p, ...patch } : p)) });
  const members = draft.members.map((m) => ({ value: m, label: m }));
  // A source that is no longer a member stays visible, with the server's complaint under it.
  if (entry.sourceCluster && !draft.members.includes(entry.sourceCluster)) members.push({ value: entry.sourceCluster, label: entry.sourceCluster });
  const cardErrors = errorsAt(errors, path).map((m) => sentence(m, "Service export"));
  return (
    <div role="group" aria-label={`Service export ${label}`} className="flex flex-col gap-4 rounded-lg border border-border p-4">
      <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_minmax(0,1fr)_auto]">
        <Field label="Service name" error={fieldError(errors, `${path}.name`, "Service name")}>
          <Input
            value={entry.name}
            onChange={(e) => set({ name: e.target.value })}
            placeholder="ledger"
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Field label="Namespace" error={fieldError(errors, `${path}.namespace`, "Namespace")}>
          <Input
            value={entry.namespace}
            onChange={(e) => set({ namespace: e.target.value })}
            placeholder="payments"
            className="font-mono"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
        <Field label="Source cluster" error={fieldError(errors, `${path}.sourceCluster`, "Source cluster")}>
          <Select
            value={entry.sourceCluster || undefined}
            placeholder={members.length ? "Pick a member" : "No members yet"}
            disabled={members.length === 0}
            onValueChange={(v) => set({ sourceCluster: v })}
            options={members}
          />
        </Field>
        <Button
          variant="ghost"
          size="icon"
          className="self-end sm:mt-6 sm:self-start"
          aria-label={`Remove service export ${label}`}
          onClick={() => edit((list) => list.filter((e) => e.key !== entry.key))}
        >
          <XIcon className="size-4" />
        </Button>
      </div>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-[13px] font-medium">Ports</legend>
        {entry.ports.length ? (
          <div aria-hidden="true" className="flex gap-2 text-xs text-muted-foreground">
            <span className="w-36">Name (optional)</span>
            <span className="w-28">Port</span>
            <span className="w-24">Protocol</span>
          </div>
        ) : null}
        {entry.ports.map((p, j) => (
          <PortRow
            key={p.key}
            port={p}
            index={j}
            path={path}
            label={label}
            errors={errors}
            onChange={(patch) => setPort(p.key, patch)}
            onRemove={() => set({ ports: entry.ports.filter((x) => x.key !== p.key) })}
          />
        ))}
        {fieldError(errors, `${path}.ports`, "Ports") ? (
          <p className="text-[13px] text-danger-subtle-foreground">{fieldError(errors, `${path}.ports`, "Ports")}</p>
        ) : null}
        <div>
          <Button variant="secondary" size="sm" onClick={() => set({ ports: [...entry.ports, newPort()] })}>
            <PlusIcon className="size-3.5" />
            Add port
          </Button>
        </div>
      </fieldset>
      <Field
        label="Aliases"
        hint="Extra DNS names for the service in the slice, separated by commas. Optional."
        error={fieldError(errors, `${path}.aliases`, "Aliases", true)}
      >
        <Input
          value={entry.aliases}
          onChange={(e) => set({ aliases: e.target.value })}
          placeholder="ledger.payments.example"
          className="font-mono"
          spellCheck={false}
          autoComplete="off"
        />
      </Field>
      {cardErrors.length ? <p className="text-[13px] text-danger-subtle-foreground">{cardErrors.join(" ")}</p> : null}
    </div>
  );
}

export function StepServices({ draft, update, errors }: StepProps) {
  const edit = (fn: (list: ServiceExportDraft[]) => ServiceExportDraft[]) =>
    update((d: Draft) => ({ ...d, serviceExports: fn(d.serviceExports) }), ["serviceExports"]);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-[13px] text-muted-foreground">
        Offer a service of one member to the whole slice: the other members reach it through the slice's gateways. Optional; add as many as you need.
      </p>
      {draft.serviceExports.length === 0 ? <p className="text-[13px] text-muted-foreground">No service exports.</p> : null}
      {draft.serviceExports.map((e, i) => (
        <ExportCard key={e.key} entry={e} index={i} draft={draft} edit={edit} errors={errors} />
      ))}
      {fieldError(errors, "serviceExports", "Service exports") ? (
        <p className="text-[13px] text-danger-subtle-foreground">{fieldError(errors, "serviceExports", "Service exports")}</p>
      ) : null}
      <div>
        {/* A new, still empty row is not a mistake yet: adding it touches nothing. */}
        <Button
          variant="secondary"
          size="sm"
          onClick={() =>
            update((d: Draft) => ({ ...d, serviceExports: [...d.serviceExports, newServiceExport(d.members.length === 1 ? d.members[0] : "")] }), [])
          }
        >
          <PlusIcon className="size-3.5" />
          Add service export
        </Button>
      </div>
    </div>
  );
}
