"use client";
// Create a QoS profile, or edit one. The server checks every value (the same rules as a
// slice's inline QoS) and names the field it refuses; the form shows it there.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toFormError, type FormError } from "@/lib/errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { hasErrors } from "../slices/slice-meta";
import { isStaleVersion, StaleVersionAlert } from "../slices/stale-version";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input, Textarea } from "../ui/input";
import { Select } from "../ui/select";
import { useToast } from "../ui/toast";
import { DSCP_CLASSES, profileFieldError, type DscpClass } from "./qos-meta";

export type QosProfile = RouterOutputs["qosProfiles"]["list"]["items"][number];

interface FormState {
  name: string;
  description: string;
  priority: string;
  ceiling: string;
  guaranteed: string;
  dscpClass: DscpClass;
}

const blank: FormState = { name: "", description: "", priority: "1", ceiling: "20480", guaranteed: "10240", dscpClass: "AF11" };

const stateOf = (p: QosProfile): FormState => ({
  name: p.name,
  description: p.description ?? "",
  priority: String(p.priority),
  ceiling: String(p.bandwidthCeilingKbps),
  guaranteed: String(p.bandwidthGuaranteedKbps),
  dscpClass: p.dscpClass,
});

/** A whole number as a number; anything else as typed, so the server names the rule it breaks. */
function num(text: string): number {
  const t = text.trim();
  return (/^-?\d+$/.test(t) ? Number(t) : t) as number;
}

export function QosProfileDialog({ profile, open, onOpenChange }: { profile?: QosProfile; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* The content mounts on open, so the form starts from the profile as stored. */}
      <DialogContent>
        <ProfileForm profile={profile} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

function ProfileForm({ profile, onDone }: { profile?: QosProfile; onDone: () => void }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<FormState>(() => (profile ? stateOf(profile) : blank));
  const [error, setError] = useState<FormError | null>(null);

  const done = async (name: string, what: string) => {
    await qc.invalidateQueries(trpc.qosProfiles.pathFilter());
    // Slices show their profile's values.
    await qc.invalidateQueries(trpc.slices.pathFilter());
    toast(`QoS profile ${name} ${what}`);
    onDone();
  };
  const create = useMutation(trpc.qosProfiles.create.mutationOptions({ onSuccess: (p) => done(p.name, "created"), onError: (e) => setError(toFormError(e)) }));
  const update = useMutation(
    trpc.qosProfiles.update.mutationOptions({
      onSuccess: (p) => {
        const n = Object.keys(p.revisions).length;
        return done(p.name, n ? `saved; ${n} ${n === 1 ? "cluster" : "clusters"} re-delivered` : "saved");
      },
      onError: (e) => setError(toFormError(e)),
    }),
  );

  const set = (patch: Partial<FormState>) => setForm((f) => ({ ...f, ...patch }));
  const err = (field: string) => profileFieldError(error?.fieldErrors, field);
  const values = {
    priority: num(form.priority),
    bandwidthCeilingKbps: num(form.ceiling),
    bandwidthGuaranteedKbps: num(form.guaranteed),
    dscpClass: form.dscpClass,
  };

  function submit() {
    setError(null);
    // The version the dialog opened with: a change someone else saved since is refused, not overwritten.
    if (profile)
      update.mutate({
        tenant: slug,
        id: profile.id,
        expectedVersion: profile.version,
        name: form.name.trim(),
        description: form.description.trim() || null,
        ...values,
      });
    else create.mutate({ tenant: slug, name: form.name.trim(), ...(form.description.trim() ? { description: form.description.trim() } : {}), ...values });
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <DialogHeader
        title={profile ? `Edit QoS profile ${profile.name}` : "Create a QoS profile"}
        description={
          profile?.slices.length
            ? `Used by ${profile.slices.length} ${profile.slices.length === 1 ? "slice" : "slices"}: saving re-delivers them with the new values.`
            : "HTB shaping on every gateway of the slices that pick it."
        }
      />
      <DialogBody>
        {isStaleVersion(error) ? (
          <StaleVersionAlert what={`QoS profile ${profile?.name ?? ""}`} />
        ) : error && !hasErrors(error.fieldErrors) ? (
          <Alert tone="danger">{error.message}</Alert>
        ) : null}
        <Field label="Name" hint="Lower-case letters, digits and '-'; slices refer to the profile by it." error={err("name")}>
          <Input
            value={form.name}
            onChange={(e) => set({ name: e.target.value })}
            placeholder="gold"
            autoComplete="off"
            spellCheck={false}
            maxLength={63}
            autoFocus
          />
        </Field>
        <Field label="Description" error={err("description")}>
          <Textarea value={form.description} onChange={(e) => set({ description: e.target.value })} rows={2} maxLength={500} placeholder="What it is for" />
        </Field>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Priority" hint="0 is the highest, 7 the lowest." error={err("priority")}>
            <Input value={form.priority} onChange={(e) => set({ priority: e.target.value })} inputMode="numeric" className="w-24 tabular-nums" />
          </Field>
          <Field label="DSCP class" hint="Marks tunnel packets." error={err("dscpClass")}>
            <Select
              value={form.dscpClass}
              onValueChange={(v) => set({ dscpClass: v })}
              options={DSCP_CLASSES.map((c) => ({ value: c, label: c }))}
              className="w-32"
            />
          </Field>
          <Field label="Bandwidth ceiling (kbps)" hint="The most a slice may use on a gateway." error={err("bandwidthCeilingKbps")}>
            <Input value={form.ceiling} onChange={(e) => set({ ceiling: e.target.value })} inputMode="numeric" className="tabular-nums" />
          </Field>
          <Field label="Guaranteed bandwidth (kbps)" hint="Reserved; at most the ceiling." error={err("bandwidthGuaranteedKbps")}>
            <Input value={form.guaranteed} onChange={(e) => set({ guaranteed: e.target.value })} inputMode="numeric" className="tabular-nums" />
          </Field>
        </div>
      </DialogBody>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" loading={create.isPending || update.isPending}>
          {profile ? "Save profile" : "Create profile"}
        </Button>
      </DialogFooter>
    </form>
  );
}
