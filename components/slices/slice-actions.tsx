"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toFormError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { TrashIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { CopyButton } from "../ui/copy-button";
import { isStaleVersion, staleMessage } from "./stale-version";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader } from "../ui/dialog";
import { DownloadIcon, FileCodeIcon } from "@/components/icons";

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${name}.yaml`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The slice as KubeSlice SliceConfig YAML, fetched when the dialog opens. */
export function ExportYamlButton({ id }: { id: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const q = useQuery({ ...trpc.slices.export.queryOptions({ tenant: slug, id }), enabled: open, staleTime: 0 });
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        <FileCodeIcon className="size-4" />
        Export YAML
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent wide>
          <DialogHeader
            title={q.data ? `${q.data.name}.yaml` : "Export YAML"}
            description="KubeSlice SliceConfig (controller.kubeslice.io/v1alpha1). Topology and description travel in isthmus.io/ annotations, which a re-import reads back."
          />
          <DialogBody>
            {q.isPending ? (
              <div className="h-48 animate-pulse rounded-lg bg-surface-2" aria-busy="true" aria-label="Loading YAML" />
            ) : q.isError ? (
              <Alert tone="danger">{toFormError(q.error).message}</Alert>
            ) : (
              <pre
                aria-label="Slice YAML"
                className="max-h-[45vh] overflow-auto rounded-lg border border-border bg-surface-2 p-3 font-mono text-[12.5px] leading-5"
              >
                {q.data.yaml}
              </pre>
            )}
          </DialogBody>
          <DialogFooter>
            {q.data ? (
              <>
                <CopyButton value={q.data.yaml} label="Copy" size="md" />
                <Button variant="secondary" onClick={() => download(q.data.name, q.data.yaml)}>
                  <DownloadIcon className="size-4" />
                  Download {q.data.name}.yaml
                </Button>
              </>
            ) : null}
            <DialogClose asChild>
              <Button>Done</Button>
            </DialogClose>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}

export function DeleteSliceButton({ id, name, memberCount, version }: { id: string; name: string; memberCount: number; version: number }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const remove = useConfirmAction({
    mutation: trpc.slices.delete.mutationOptions(),
    variables: () => ({ tenant: slug, id, expectedVersion: version }),
    onDone: async () => {
      await qc.invalidateQueries(trpc.slices.list.pathFilter());
      await qc.invalidateQueries(trpc.qosProfiles.pathFilter());
      qc.removeQueries(trpc.slices.get.queryFilter({ tenant: slug, id }));
      router.push(`/t/${slug}/slices`);
    },
    errorMessage: (e) => (isStaleVersion(e) ? staleMessage(`slice ${name}`) : e.message),
  });
  return (
    <>
      <Button variant="danger-ghost" onClick={() => remove.ask(true)}>
        <TrashIcon className="size-4" />
        Delete
      </Button>
      <ConfirmDialog
        {...remove.dialog}
        title={`Delete slice ${name}?`}
        description={`Its tunnels and namespace policies are removed: ${memberCount === 1 ? "the member cluster gets" : `all ${memberCount} member clusters get`} a new revision without it. This cannot be undone.`}
        confirmLabel="Delete slice"
      />
    </>
  );
}
