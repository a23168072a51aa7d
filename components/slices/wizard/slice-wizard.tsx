"use client";
// Create or edit a slice in steps. Every change is planned by the server (debounced
// `slices.preview`), so problems appear next to the input that causes them while the
// user types, from the same checks the save runs; a field's problems show once it has
// been touched, its step left, or a save tried.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { toFormError, type FormError } from "@/lib/errors";
import { useTRPC, type RouterInputs } from "@/lib/trpc";
import { CheckIcon } from "../../icons";
import { useTenant } from "../../shell/tenant-context";
import { Alert } from "../../ui/alert";
import { Button } from "../../ui/button";
import { Card } from "../../ui/card";
import { useToast } from "../../ui/toast";
import { hasErrors, type FieldErrors } from "../slice-meta";
import { isStaleVersion, StaleVersionAlert } from "../stale-version";
import { draftFromSpec, draftToSpec, emptyDraft, STEPS, stepOf, type Draft, type SliceSpec, type StepId } from "./draft";
import { ProblemList } from "./live-preview";
import { StepBasics } from "./step-basics";
import { StepMembers } from "./step-members";
import { StepNamespaces } from "./step-namespaces";
import type { StepProps } from "./step-props";
import { StepQos } from "./step-qos";
import { StepReview } from "./step-review";
import { StepServices } from "./step-services";
import { StepTopology } from "./step-topology";
import { useDebounced } from "./use-debounced";

const top = (path: string) => path.split(".")[0]!;
/** A problem at `path` is the user's to see once they touched it or anything that holds it (a row, its list, the section). */
const touchedPath = (touched: ReadonlySet<string>, path: string) => [...touched].some((t) => path === t || path.startsWith(`${t}.`));

function Stepper({ current, visited, problems, onGo }: { current: number; visited: Set<StepId>; problems: Set<StepId>; onGo: (s: StepId) => void }) {
  return (
    <ol aria-label="Steps" className="flex flex-wrap gap-1 border-b border-border px-3 py-2">
      {STEPS.map((s, i) => {
        const here = i === current;
        const bad = problems.has(s.id);
        const done = visited.has(s.id) && !here && !bad;
        return (
          <li key={s.id}>
            <button
              type="button"
              onClick={() => onGo(s.id)}
              aria-current={here ? "step" : undefined}
              className={cn(
                "flex h-8 items-center gap-2 rounded-md px-2.5 text-[13px] font-medium transition-colors",
                here ? "bg-surface-2 text-foreground" : "text-muted-foreground hover:bg-surface-2 hover:text-foreground",
              )}
            >
              <span
                aria-hidden="true"
                className={cn(
                  "flex size-5 items-center justify-center rounded-full border text-[11px] tabular-nums",
                  bad
                    ? "border-danger bg-danger-subtle text-danger-subtle-foreground"
                    : here
                      ? "border-accent bg-accent text-accent-foreground"
                      : done
                        ? "border-accent text-accent"
                        : "border-border-strong",
                )}
              >
                {bad ? "!" : done ? <CheckIcon className="size-3" /> : i + 1}
              </span>
              {s.label}
              {bad ? <span className="sr-only">(has problems)</span> : null}
            </button>
          </li>
        );
      })}
    </ol>
  );
}

export function SliceWizard({ initial }: { initial?: { id: string; spec: SliceSpec; version: number } }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const editing = !!initial;
  const [draft, setDraft] = useState<Draft>(() => (initial ? draftFromSpec(initial.spec) : emptyDraft()));
  const [step, setStep] = useState(0);
  const [visited, setVisited] = useState<Set<StepId>>(() => new Set(editing ? STEPS.map((s) => s.id) : ["basics"]));
  const [touched, setTouched] = useState<Set<string>>(() => new Set());
  const [saveTried, setSaveTried] = useState(false);
  const [saveError, setSaveError] = useState<FormError | null>(null);
  const [editedSinceSave, setEditedSinceSave] = useState<Set<string>>(() => new Set());
  const heading = useRef<HTMLHeadingElement>(null);
  const shownStep = useRef(0);

  const spec = useMemo(() => draftToSpec(draft), [draft]);
  const settled = useDebounced(spec, 350);
  const preview = useQuery({
    ...trpc.slices.preview.queryOptions({ tenant: slug, id: initial?.id, spec: settled }),
    placeholderData: keepPreviousData,
    staleTime: 0,
    refetchOnWindowFocus: false,
  });
  const previewLoading = preview.isFetching || JSON.stringify(settled) !== JSON.stringify(spec);

  const update: StepProps["update"] = (patch, fields) => {
    setDraft((d) => (typeof patch === "function" ? patch(d) : { ...d, ...patch }));
    setTouched((t) => new Set([...t, ...fields]));
    if (saveError) setEditedSinceSave((e) => new Set([...e, ...fields.map(top)]));
  };

  // Preview problems for what the user has dealt with; a refused save's problems until the field is edited.
  const errors = useMemo(() => {
    const out: FieldErrors = {};
    const add = (k: string, list: string[] | undefined) => {
      if (list?.length) out[k] = [...new Set([...(out[k] ?? []), ...list])];
    };
    for (const [k, list] of Object.entries(preview.data?.fieldErrors ?? {})) {
      if (editing || saveTried || touchedPath(touched, k) || (visited.has(stepOf(k)) && STEPS.findIndex((s) => s.id === stepOf(k)) < step)) add(k, list);
    }
    if (!isStaleVersion(saveError)) for (const [k, list] of Object.entries(saveError?.fieldErrors ?? {})) if (!editedSinceSave.has(top(k))) add(k, list);
    return out;
  }, [preview.data, saveError, editedSinceSave, editing, saveTried, touched, visited, step]);
  const problemSteps = new Set(Object.keys(errors).map(stepOf));

  const go = (id: StepId) => {
    setStep(STEPS.findIndex((s) => s.id === id));
    setVisited((v) => new Set([...v, id]));
  };
  // A new step moves focus to its heading, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (shownStep.current === step) return;
    shownStep.current = step;
    heading.current?.focus();
  }, [step]);

  const current = STEPS[step]!;
  function next() {
    // Leaving a step shows its problems; stay while the (current) plan has some.
    const stepErrors = Object.keys(preview.data?.fieldErrors ?? {}).some((k) => stepOf(k) === current.id);
    setTouched((t) => new Set([...t, ...current.fields.map(top)]));
    if (!previewLoading && stepErrors) return;
    go(STEPS[step + 1]!.id);
  }

  const onSaved = async (saved: { id: string; name: string; warnings: string[] }) => {
    await qc.invalidateQueries(trpc.slices.pathFilter());
    // Profiles list the slices that use them.
    await qc.invalidateQueries(trpc.qosProfiles.pathFilter());
    toast(editing ? `Slice ${saved.name} saved` : `Slice ${saved.name} created`);
    router.push(`/t/${slug}/slices/${saved.id}`);
  };
  const onFailed = (err: unknown) => {
    setSaveError(toFormError(err));
    setEditedSinceSave(new Set());
  };
  const create = useMutation(trpc.slices.create.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const patch = useMutation(trpc.slices.update.mutationOptions({ onSuccess: onSaved, onError: onFailed }));
  const saving = create.isPending || patch.isPending;
  function save(force = false) {
    setSaveTried(true);
    setSaveError(null);
    // The version this page loaded: a change someone else saved since is refused, not overwritten.
    if (initial)
      patch.mutate({
        ...(spec as RouterInputs["slices"]["update"]),
        tenant: slug,
        id: initial.id,
        expectedVersion: initial.version,
        ...(force ? { force } : {}),
      });
    else create.mutate({ ...(spec as RouterInputs["slices"]["create"]), tenant: slug, ...(force ? { force } : {}) });
  }

  const stepProps: StepProps = { draft, update, errors, preview: preview.data, previewLoading, editing };
  const stale = isStaleVersion(saveError);
  const precondition = saveError?.code === "PRECONDITION_FAILED" && !stale;
  const cancelHref = initial ? `/t/${slug}/slices/${initial.id}` : `/t/${slug}/slices`;

  return (
    <Card>
      <Stepper current={step} visited={visited} problems={problemSteps} onGo={go} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (current.id === "review") save();
          else next();
        }}
      >
        <div className="flex flex-col gap-5 px-5 py-5">
          <h2 ref={heading} tabIndex={-1} className="text-sm font-semibold outline-none">
            {step + 1}. {current.label}
          </h2>
          {current.id === "basics" ? <StepBasics {...stepProps} /> : null}
          {current.id === "members" ? <StepMembers {...stepProps} /> : null}
          {current.id === "topology" ? <StepTopology {...stepProps} onGo={go} /> : null}
          {current.id === "qos" ? <StepQos {...stepProps} /> : null}
          {current.id === "namespaces" ? <StepNamespaces {...stepProps} /> : null}
          {current.id === "services" ? <StepServices {...stepProps} /> : null}
          {current.id === "review" ? <StepReview {...stepProps} onGo={go} sliceId={initial?.id} /> : null}

          {preview.isError ? <Alert tone="danger">The preview failed: {toFormError(preview.error).message}</Alert> : null}
          {saveError && stale ? (
            <StaleVersionAlert what={`slice ${initial?.spec.name ?? ""}`.trim()} />
          ) : saveError && precondition ? (
            <Alert tone="warning" title="Some clusters are not available">
              <div className="flex flex-col gap-2">
                <p>{saveError.message}</p>
                <p>
                  Saving anyway publishes the change now; the offline clusters apply it when they reconnect, and their peers' tunnels to them stay down until
                  then.
                </p>
                <div>
                  <Button variant="secondary" size="sm" loading={saving} onClick={() => save(true)}>
                    Save anyway
                  </Button>
                </div>
              </div>
            </Alert>
          ) : saveError ? (
            <Alert tone="danger" title={editing ? "The slice was not saved" : "The slice was not created"}>
              {hasErrors(saveError.fieldErrors) ? <ProblemList errors={saveError.fieldErrors} onGo={go} /> : saveError.message}
            </Alert>
          ) : null}
        </div>
        <div className="flex items-center justify-between gap-2 rounded-b-xl border-t border-border bg-surface-2/50 px-5 py-3">
          <Button asChild variant="ghost">
            <Link href={cancelHref}>Cancel</Link>
          </Button>
          <div className="flex items-center gap-2">
            {step > 0 ? (
              <Button variant="secondary" onClick={() => go(STEPS[step - 1]!.id)}>
                Back
              </Button>
            ) : null}
            {current.id === "review" ? (
              <Button type="submit" loading={saving}>
                {editing ? "Save changes" : "Create slice"}
              </Button>
            ) : (
              <Button
                type="submit"
                disabled={current.id === "members" && draft.members.length === 0}
                title={current.id === "members" && draft.members.length === 0 ? "Add at least one member cluster first" : undefined}
              >
                Next
              </Button>
            )}
          </div>
        </div>
      </form>
    </Card>
  );
}
