"use client";
// Create a registration token. The token itself is in the create response only: this
// dialog shows it once, with the one-line import built around it, and forgets it when
// closed.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fieldMessage, toFormError, type FormError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { LabelsEditor, labelsError, rowsToLabels, type LabelRow } from "../clusters/labels-editor";
import { SITE_HINT, SITE_LABEL, SITE_TYPES } from "../clusters/meta";
import { PlusIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-button";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader, DialogTrigger } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { MAX_TTL_SECONDS, TTL_PRESETS, TTL_UNITS } from "./token-meta";

type Created = RouterOutputs["registrationTokens"]["create"];
type Ttl = (typeof TTL_PRESETS)[number]["value"];
type Unit = (typeof TTL_UNITS)[number]["value"];
const AGENT_DECIDES = "agent";

export function CreateRegistrationTokenDialog() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon className="size-4" />
          Create token
        </Button>
      </DialogTrigger>
      {/* Unmounted on close: the token and the form are forgotten with it. */}
      {open ? <CreateForm /> : null}
    </Dialog>
  );
}

function CreateForm() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [ttl, setTtl] = useState<Ttl>("86400");
  const [customAmount, setCustomAmount] = useState("12");
  const [customUnit, setCustomUnit] = useState<Unit>("3600");
  const [maxUses, setMaxUses] = useState("1");
  const [unlimited, setUnlimited] = useState(false);
  const [siteType, setSiteType] = useState<string>(AGENT_DECIDES);
  const [rows, setRows] = useState<LabelRow[]>([]);
  const [error, setError] = useState<FormError | null>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation(
    trpc.registrationTokens.create.mutationOptions({
      onSuccess: async (t) => {
        setCreated(t);
        await qc.invalidateQueries(trpc.registrationTokens.list.pathFilter());
      },
      onError: (err) => setError(toFormError(err)),
    }),
  );

  if (created) return <ShowOnce t={created} />;

  const fe = error?.fieldErrors;
  const errors = {
    name: fieldMessage(fe, "name", "Name"),
    ttl: local.ttl ?? fieldMessage(fe, "ttlSeconds", "Expiry"),
    maxUses: local.maxUses ?? fieldMessage(fe, "maxUses", "Max uses"),
    siteType: fieldMessage(fe, "siteType", "Site type"),
    labels: local.labels ?? labelsError(fe),
  };
  const shownInline = Object.values(errors).some(Boolean);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    const problems: Record<string, string> = {};
    const ttlSeconds = ttl === "custom" ? Number(customAmount) * Number(customUnit) : Number(ttl);
    if (ttl === "custom" && (!/^\d+$/.test(customAmount.trim()) || ttlSeconds < 60 || ttlSeconds > MAX_TTL_SECONDS)) {
      problems.ttl = "Expiry must be a whole number between 1 minute and 30 days";
    }
    const uses = Number(maxUses);
    if (!unlimited && (!/^\d+$/.test(maxUses.trim()) || uses < 1 || uses > 100_000)) problems.maxUses = "Max uses must be a whole number from 1 to 100000";
    const lb = rowsToLabels(rows);
    if (lb.problem) problems.labels = lb.problem;
    setLocal(problems);
    if (Object.keys(problems).length) return;
    create.mutate({
      tenant: slug,
      name: name.trim(),
      ttlSeconds,
      ...(unlimited ? { unlimited: true } : { maxUses: uses }),
      labels: lb.labels,
      ...(siteType === AGENT_DECIDES ? {} : { siteType: siteType as (typeof SITE_TYPES)[number] }),
    });
  };

  return (
    <DialogContent wide>
      <form noValidate onSubmit={submit}>
        <DialogHeader
          title="Create a registration token"
          description="An agent trades it for its own credential when it enrols a cluster. The token is shown once."
        />
        <DialogBody>
          {error && !shownInline ? <Alert tone="danger">{error.message}</Alert> : null}
          <Field label="Name" error={errors.name} hint="Where it is used, e.g. “edge stores wave 3”.">
            <Input name="name" autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field
            label="Expires after"
            error={errors.ttl}
            hint={ttl === "custom" ? "From 1 minute to 30 days." : "Clusters it enrolled stay enrolled after it expires."}
          >
            <div className="flex flex-wrap items-center gap-2">
              <Select<Ttl> className="w-44" value={ttl} onValueChange={setTtl} options={TTL_PRESETS.map((p) => ({ value: p.value, label: p.label }))} />
              {ttl === "custom" ? (
                <>
                  <Input
                    id="token-ttl-amount"
                    aria-label="Custom expiry amount"
                    inputMode="numeric"
                    value={customAmount}
                    onChange={(e) => setCustomAmount(e.target.value)}
                    className="w-20"
                    aria-invalid={!!errors.ttl || undefined}
                  />
                  <Select<Unit>
                    id="token-ttl-unit"
                    aria-label="Custom expiry unit"
                    className="w-32"
                    value={customUnit}
                    onValueChange={setCustomUnit}
                    options={TTL_UNITS.map((u) => ({ value: u.value, label: u.label }))}
                  />
                </>
              ) : null}
            </div>
          </Field>
          <Field
            label="Max uses"
            error={errors.maxUses}
            hint={unlimited ? "Enrols any number of clusters until it expires." : "Clusters it may enrol. Enrolling the same cluster again counts too."}
          >
            <div className="flex flex-wrap items-center gap-4">
              <Input
                name="maxUses"
                type="number"
                inputMode="numeric"
                min={1}
                max={100000}
                step={1}
                value={unlimited ? "" : maxUses}
                disabled={unlimited}
                onChange={(e) => setMaxUses(e.target.value)}
                className="w-28"
              />
              <span className="flex items-center gap-2">
                <input
                  id="token-unlimited"
                  type="checkbox"
                  checked={unlimited}
                  onChange={(e) => setUnlimited(e.target.checked)}
                  className="size-4 accent-[var(--accent)]"
                />
                <label htmlFor="token-unlimited" className="text-[13px] font-medium">
                  Unlimited
                </label>
              </span>
            </div>
          </Field>
          <Field
            label="Site type"
            error={errors.siteType}
            hint="Applied to every cluster it enrols; otherwise the agent reports one (cloud when it cannot tell)."
          >
            <Select<string>
              value={siteType}
              onValueChange={setSiteType}
              options={[
                { value: AGENT_DECIDES, label: "Let the agent report it" },
                ...SITE_TYPES.map((s) => ({ value: s, label: SITE_LABEL[s], hint: SITE_HINT[s] })),
              ]}
            />
          </Field>
          <LabelsEditor
            rows={rows}
            onChange={setRows}
            error={errors.labels}
            hint="Put on every cluster it enrols (they win over labels the cluster already has)."
          />
        </DialogBody>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button type="submit" loading={create.isPending}>
            Create token
          </Button>
        </DialogFooter>
      </form>
    </DialogContent>
  );
}

function ShowOnce({ t }: { t: Created }) {
  const uses = t.maxUses === null ? "any number of clusters" : t.maxUses === 1 ? "one cluster" : `${t.maxUses} clusters`;
  return (
    <DialogContent wide>
      <DialogHeader title="Token created" description={`“${t.name}” enrols ${uses} until ${formatDateTime(t.expiresAt)}.`} />
      <DialogBody>
        <Alert tone="warning" title="You won't see this token again">
          Copy it now: only a hash is stored, so it cannot be shown again. If you lose it, revoke it and create another.
        </Alert>
        <section className="flex flex-col gap-1.5">
          <h3 className="text-[13px] font-medium">Registration token</h3>
          <CopyField value={t.token} label="Registration token" />
        </section>
        <section className="flex flex-col gap-1.5">
          <h3 className="text-[13px] font-medium">Import a cluster in one line</h3>
          {t.install.warning ? (
            <Alert tone="warning" title="No cluster can reach this control plane yet">
              {t.install.warning}
            </Alert>
          ) : null}
          <p className="text-[13px] text-muted-foreground">
            On any machine whose <code className="font-mono">kubectl</code> points at the cluster. It installs the agent (namespace isthmus-system,
            least-privilege RBAC, this token in a Secret), which enrols and stays connected.
          </p>
          <CopyField value={t.install.command} label="One-line import" multiline />
          <details className="text-[13px] text-muted-foreground">
            <summary className="cursor-pointer">Without curl, or to read the manifests first</summary>
            <div className="mt-1.5 flex flex-col gap-1.5">
              <p>With kubectl alone (the token is then part of the URL):</p>
              <CopyField value={t.install.kubectlOnly} label="kubectl only" multiline />
              <p>The manifests, rendered for this token (send it as ?token= or an Authorization: Bearer header):</p>
              <CopyField value={t.install.url} label="Install manifests URL" />
            </div>
          </details>
        </section>
        <section className="flex flex-col gap-1.5">
          <h3 className="text-[13px] font-medium">Or run the agent from your machine</h3>
          <p className="text-[13px] text-muted-foreground">
            On a machine whose kubeconfig points at the cluster. It enrols, keeps its credential in ~/.isthmus-agent, and stays connected while it runs.
          </p>
          <CopyField value={t.install.localCommand} label="Agent command line" multiline />
        </section>
        <section className="flex flex-col gap-1.5">
          <h3 className="text-[13px] font-medium">Or with deploy/agent from the repository</h3>
          <p className="text-[13px] text-muted-foreground">
            Save this Secret as <code className="font-mono">isthmus-agent-token.yaml</code> and apply it with{" "}
            <code className="font-mono">kubectl apply -k deploy/agent</code> (set ISTHMUS_SERVER there).
          </p>
          <CopyField value={t.install.secretManifest} label="Kubernetes Secret manifest" multiline />
        </section>
      </DialogBody>
      <DialogFooter>
        <DialogClose asChild>
          <Button>Done</Button>
        </DialogClose>
      </DialogFooter>
    </DialogContent>
  );
}
