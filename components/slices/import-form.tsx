"use client";
// KubeSlice SliceConfig YAML in, slices out. The server checks every document against
// the tenant's clusters before creating any, so a failed import changes nothing.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { toFormError, type FormError } from "@/lib/errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { Field } from "../ui/field";
import { Textarea } from "../ui/input";
import { UploadIcon } from "@/components/icons";

const EXAMPLE = `apiVersion: controller.kubeslice.io/v1alpha1
kind: SliceConfig
metadata:
  name: blue
spec:
  sliceSubnet: 10.2.0.0/16
  sliceGatewayProvider:
    sliceGatewayType: OpenVPN
    sliceCaType: Local
  clusters:
    - cluster-1
    - cluster-2`;

type Result = RouterOutputs["slices"]["import"];

function FindingList({ title, items, tone }: { title: string; items: string[]; tone: "warning" | "info" }) {
  if (items.length === 0) return null;
  return (
    <Alert tone={tone} title={`${title} (${items.length})`}>
      <ul className="flex flex-col gap-0.5 font-mono text-[12.5px]">
        {items.map((x, i) => (
          <li key={i}>{x}</li>
        ))}
      </ul>
    </Alert>
  );
}

export function ImportForm() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const file = useRef<HTMLInputElement>(null);
  const [yaml, setYaml] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const run = useMutation(
    trpc.slices.import.mutationOptions({
      onSuccess: async (r) => {
        setResult(r);
        setError(null);
        await qc.invalidateQueries(trpc.slices.list.pathFilter());
        await qc.invalidateQueries(trpc.qosProfiles.pathFilter());
      },
      onError: (err) => {
        setResult(null);
        setError(toFormError(err));
      },
    }),
  );
  const resultCard = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (result) resultCard.current?.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }, [result]);
  const problems = error?.fieldErrors.yaml ?? [];
  const precondition = error?.code === "PRECONDITION_FAILED";

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader
          title="KubeSlice SliceConfig"
          description="Paste or pick a YAML file with one or more SliceConfig documents; SliceQoSConfig and ServiceExportConfig documents beside them are used too. Clusters are matched by name."
        />
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setResult(null);
            run.mutate({ tenant: slug, yaml });
          }}
        >
          <CardBody className="flex flex-col gap-4">
            <div className="flex flex-wrap items-center gap-3">
              <input
                ref={file}
                type="file"
                accept=".yaml,.yml,application/yaml,text/yaml,text/plain"
                className="sr-only"
                aria-label="YAML file"
                onChange={async (e) => {
                  const f = e.target.files?.[0];
                  if (!f) return;
                  setYaml(await f.text());
                  setFileName(f.name);
                  setError(null);
                  setResult(null);
                  e.target.value = "";
                }}
              />
              <Button variant="secondary" onClick={() => file.current?.click()}>
                <UploadIcon className="size-4" />
                Choose file…
              </Button>
              {fileName ? (
                <span className="font-mono text-[13px] text-muted-foreground">{fileName}</span>
              ) : (
                <span className="text-[13px] text-muted-foreground">or paste below</span>
              )}
            </div>
            <Field
              label="YAML"
              error={
                problems.length
                  ? `Nothing was imported: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}, listed below.`
                  : error && !precondition
                    ? error.message
                    : undefined
              }
            >
              <Textarea
                value={yaml}
                onChange={(e) => {
                  setYaml(e.target.value);
                  setFileName(null);
                }}
                rows={16}
                spellCheck={false}
                placeholder={EXAMPLE}
                className="font-mono text-[12.5px] leading-5"
              />
            </Field>
            {problems.length ? (
              <Alert tone="danger" title="Problems">
                <ul className="flex list-disc flex-col gap-0.5 pl-4 font-mono text-[12.5px]">
                  {problems.map((p, i) => (
                    <li key={i}>{p}</li>
                  ))}
                </ul>
              </Alert>
            ) : null}
            {precondition ? (
              <Alert tone="warning" title="Some clusters are not available">
                <div className="flex flex-col gap-2">
                  <p>{error.message}</p>
                  <div>
                    <Button variant="secondary" size="sm" loading={run.isPending} onClick={() => run.mutate({ tenant: slug, yaml, force: true })}>
                      Import anyway
                    </Button>
                  </div>
                </div>
              </Alert>
            ) : null}
          </CardBody>
          <div className="flex justify-end gap-2 rounded-b-xl border-t border-border bg-surface-2/50 px-5 py-3">
            <Button asChild variant="ghost">
              <Link href={`/t/${slug}/slices`}>Cancel</Link>
            </Button>
            <Button type="submit" loading={run.isPending} disabled={!yaml.trim()}>
              Import
            </Button>
          </div>
        </form>
      </Card>

      {result ? (
        <div ref={resultCard}>
          <Card aria-live="polite">
            <CardHeader
              title={`Imported ${result.slices.length} ${result.slices.length === 1 ? "slice" : "slices"}${
                result.qosProfiles.length ? ` and ${result.qosProfiles.length} QoS ${result.qosProfiles.length === 1 ? "profile" : "profiles"}` : ""
              }`}
            />
            <CardBody className="flex flex-col gap-4">
              <ul aria-label="Created slices" className="flex flex-col gap-1">
                {result.slices.map((s) => (
                  <li key={s.id}>
                    <Link href={`/t/${slug}/slices/${s.id}`} className="font-medium text-accent hover:underline">
                      {s.name}
                    </Link>
                  </li>
                ))}
              </ul>
              {result.qosProfiles.length ? (
                <div className="flex flex-col gap-1">
                  <h3 className="text-[13px] font-medium">QoS profiles</h3>
                  <ul aria-label="QoS profiles" className="flex flex-col gap-0.5 text-[13px]">
                    {result.qosProfiles.map((p) => (
                      <li key={p.id}>
                        <Link href={`/t/${slug}/qos-profiles`} className="font-mono font-medium text-accent hover:underline">
                          {p.name}
                        </Link>{" "}
                        <span className="text-muted-foreground">{p.created ? "created" : "already existed with the same values, reused"}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              ) : null}
              <FindingList title="Warnings" items={result.warnings} tone="warning" />
              <FindingList title="Ignored fields" items={result.ignoredFields} tone="info" />
              {result.warnings.length === 0 && result.ignoredFields.length === 0 ? (
                <p className="text-[13px] text-muted-foreground">Every field was imported.</p>
              ) : null}
            </CardBody>
          </Card>
        </div>
      ) : null}
    </div>
  );
}
