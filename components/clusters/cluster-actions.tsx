"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldMessage, toFormError, type FieldErrors, type FormError } from "@/lib/errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { EditIcon, TrashIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { useToast } from "../ui/toast";
import { isStaleVersion, StaleVersionAlert, staleMessage } from "../slices/stale-version";
import { LabelsEditor, labelsError, labelsToRows, rowsToLabels, type LabelRow } from "./labels-editor";
import { SITE_HINT, SITE_LABEL, SITE_TYPES, type SiteType } from "./meta";

type Cluster = RouterOutputs["clusters"]["get"];

/** "10.0.0.0/16, 10.1.0.0/16" → the list; the server checks each. */
const splitList = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The server's messages for a list field and its items ("manualPodCidrs.0"), with the item's value. */
function listMessage(errors: FieldErrors | undefined, field: string, label: string, items: string[]): string | undefined {
  const out: string[] = [];
  for (const [key, msgs] of Object.entries(errors ?? {})) {
    if (key !== field && !key.startsWith(`${field}.`)) continue;
    const item = items[Number(key.slice(field.length + 1))];
    for (const m of msgs ?? []) out.push(item !== undefined ? `${item} ${m}` : `${label} ${m}`);
  }
  return out.length ? out.join(". ") : undefined;
}

function parseCoordinate(text: string, min: number, max: number, label: string): { value: number | null; problem?: string } {
  const t = text.trim();
  if (!t) return { value: null };
  const n = Number(t);
  if (!Number.isFinite(n) || n < min || n > max) return { value: null, problem: `${label} must be a number between ${min} and ${max}` };
  return { value: n };
}

export function EditClusterButton({ c }: { c: Cluster }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <EditIcon className="size-4" />
        Edit
      </Button>
      {/* Mounted only while open, so each opening starts from the cluster as it is now. */}
      {open ? <EditClusterForm c={c} onDone={() => setOpen(false)} /> : null}
    </Dialog>
  );
}

function EditClusterForm({ c, onDone }: { c: Cluster; onDone: () => void }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(c.name);
  const [siteType, setSiteType] = useState<SiteType>(c.siteType);
  const [region, setRegion] = useState(c.region ?? "");
  const [lat, setLat] = useState(c.latitude == null ? "" : String(c.latitude));
  const [long, setLong] = useState(c.longitude == null ? "" : String(c.longitude));
  const [rows, setRows] = useState<LabelRow[]>(() => labelsToRows(c.labels));
  const [podCidrs, setPodCidrs] = useState(c.manualPodCidrs.join(", "));
  const [serviceCidrs, setServiceCidrs] = useState(c.manualServiceCidrs.join(", "));
  const [error, setError] = useState<FormError | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  // The version the form opened with (the page behind it updates live): a change someone
  // else saved since is refused, not overwritten.
  const [version] = useState(c.version);
  const update = useMutation(
    trpc.clusters.update.mutationOptions({
      onSuccess: async (next) => {
        qc.setQueryData(trpc.clusters.get.queryKey({ tenant: slug, id: c.id }), next);
        await qc.invalidateQueries(trpc.clusters.list.pathFilter());
        toast(`Cluster “${next.name}” updated`);
        onDone();
      },
      onError: (err) => setError(toFormError(err)),
    }),
  );

  const fe = error?.fieldErrors;
  const errors = {
    name: fieldMessage(fe, "name", "Name"),
    siteType: fieldMessage(fe, "siteType", "Site type"),
    region: fieldMessage(fe, "region", "Region"),
    latitude: local.latitude ?? fieldMessage(fe, "latitude", "Latitude"),
    longitude: local.longitude ?? fieldMessage(fe, "longitude", "Longitude"),
    labels: local.labels ?? labelsError(fe),
    manualPodCidrs: listMessage(fe, "manualPodCidrs", "Pod CIDRs", splitList(podCidrs)),
    manualServiceCidrs: listMessage(fe, "manualServiceCidrs", "Service CIDRs", splitList(serviceCidrs)),
  };
  const shownInline = Object.values(errors).some(Boolean);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const la = parseCoordinate(lat, -90, 90, "Latitude");
    const lo = parseCoordinate(long, -180, 180, "Longitude");
    const lb = rowsToLabels(rows);
    const problems: Record<string, string> = {};
    if (la.problem) problems.latitude = la.problem;
    if (lo.problem) problems.longitude = lo.problem;
    if (lb.problem) problems.labels = lb.problem;
    setLocal(problems);
    if (Object.keys(problems).length) return;
    update.mutate({
      tenant: slug,
      id: c.id,
      expectedVersion: version,
      name: name.trim(),
      siteType,
      region: region.trim() || null,
      latitude: la.value,
      longitude: lo.value,
      labels: lb.labels,
      manualPodCidrs: splitList(podCidrs),
      manualServiceCidrs: splitList(serviceCidrs),
    });
  };

  return (
    <DialogContent wide>
      <form noValidate onSubmit={submit}>
        <DialogHeader
          title={`Edit ${c.name}`}
          description="The agent's own facts (versions, nodes, the CIDRs it found) come from the cluster; these are yours to set."
        />
        <DialogBody>
          {isStaleVersion(error) ? (
            <StaleVersionAlert what={`cluster ${c.name}`} />
          ) : error && !shownInline ? (
            <Alert tone="danger">{error.message}</Alert>
          ) : null}
          <Field label="Name" error={errors.name} hint="Lower-case letters, digits and '-', unique in this tenant.">
            <Input
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              maxLength={63}
              spellCheck={false}
              autoCapitalize="off"
              className="font-mono text-[13px]"
            />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Site type" error={errors.siteType}>
              <Select<SiteType>
                value={siteType}
                onValueChange={setSiteType}
                options={SITE_TYPES.map((s) => ({ value: s, label: SITE_LABEL[s], hint: SITE_HINT[s] }))}
              />
            </Field>
            <Field label="Region" error={errors.region} hint="Free text, e.g. eu-west-1 or store-0412.">
              <Input name="region" value={region} onChange={(e) => setRegion(e.target.value)} maxLength={64} />
            </Field>
            <Field label="Latitude" error={errors.latitude} hint="Decimal degrees, -90 to 90.">
              <Input name="latitude" inputMode="decimal" placeholder="52.3702" value={lat} onChange={(e) => setLat(e.target.value)} />
            </Field>
            <Field label="Longitude" error={errors.longitude} hint="Decimal degrees, -180 to 180.">
              <Input name="longitude" inputMode="decimal" placeholder="4.8952" value={long} onChange={(e) => setLong(e.target.value)} />
            </Field>
          </div>
          <LabelsEditor rows={rows} onChange={setRows} error={errors.labels} hint="Replaces all labels. Slices and policies select clusters by them." />
          {/* For platforms that hide their ranges from the agent: a slice subnet is then checked against these. */}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Pod CIDRs (set by hand)"
              error={errors.manualPodCidrs}
              hint={`Reported by the agent: ${c.podCidrs.join(", ") || "unknown"}. Leave empty to use what it reports.`}
            >
              <Input
                name="manualPodCidrs"
                placeholder="10.244.0.0/16"
                value={podCidrs}
                onChange={(e) => setPodCidrs(e.target.value)}
                spellCheck={false}
                className="font-mono text-[13px]"
              />
            </Field>
            <Field
              label="Service CIDRs (set by hand)"
              error={errors.manualServiceCidrs}
              hint={`Reported by the agent: ${c.serviceCidrs.join(", ") || "unknown"}. Leave empty to use what it reports.`}
            >
              <Input
                name="manualServiceCidrs"
                placeholder="10.96.0.0/12"
                value={serviceCidrs}
                onChange={(e) => setServiceCidrs(e.target.value)}
                spellCheck={false}
                className="font-mono text-[13px]"
              />
            </Field>
          </div>
        </DialogBody>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button type="submit" loading={update.isPending}>
            Save changes
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}

export function DeleteClusterButton({ c }: { c: Cluster }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const router = useRouter();
  const del = useConfirmAction({
    mutation: trpc.clusters.delete.mutationOptions(),
    variables: () => ({ tenant: slug, id: c.id, expectedVersion: c.version }),
    onDone: async () => {
      toast(`Cluster “${c.name}” deleted`);
      router.push(`/t/${slug}/clusters`);
      qc.removeQueries(trpc.clusters.get.queryFilter({ tenant: slug, id: c.id }));
      await qc.invalidateQueries(trpc.clusters.list.pathFilter());
    },
    errorMessage: (e) => (isStaleVersion(e) ? staleMessage(`cluster ${c.name}`) : e.message),
  });
  return (
    <>
      <Button variant="danger-ghost" onClick={() => del.ask(true)}>
        <TrashIcon className="size-4" />
        Delete
      </Button>
      <ConfirmDialog
        {...del.dialog}
        title={`Delete ${c.name}?`}
        description={
          <>
            The cluster leaves its slices (the other members get revisions without links to it) and its revisions, acks and events are removed. Its agent&apos;s
            credential stops working at the agent&apos;s next call, so it can no longer report or fetch configuration; to bring the cluster back, enrol it again
            with a registration token. Nothing is removed from the cluster itself.
          </>
        }
        confirmLabel="Delete cluster"
      />
    </>
  );
}
