"use client";
import { useQuery } from "@tanstack/react-query";
import { toFormError } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { useTenant } from "../../shell/tenant-context";
import { Alert } from "../../ui/alert";
import { PageHeader } from "../../ui/page-header";
import { Breadcrumb } from "../slice-detail";
import { SliceWizard } from "./slice-wizard";

/** The wizard over a stored slice. Loaded once: live updates would overwrite what is being typed. */
export function EditSlice({ id }: { id: string }) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.slices.get.queryOptions({ tenant: slug, id }), staleTime: Infinity, refetchOnWindowFocus: false });
  const base = `/t/${slug}/slices`;
  return (
    <>
      <Breadcrumb items={[{ label: "Slices", href: base }, { label: q.data?.spec.name ?? "Slice", href: `${base}/${id}` }, { label: "Edit" }]} />
      <PageHeader
        title={q.data ? `Edit ${q.data.spec.name}` : "Edit slice"}
        description="Members and their gateway services, topology, QoS, namespaces and service exports can change; the subnet, size and gateway type are fixed at creation."
      />
      {q.isPending ? (
        <div className="h-96 animate-pulse rounded-xl bg-surface-2" aria-busy="true" aria-label="Loading slice" />
      ) : q.isError ? (
        <Alert tone="danger">{toFormError(q.error).message}</Alert>
      ) : (
        <SliceWizard initial={{ id: q.data.id, spec: q.data.spec, version: q.data.version }} />
      )}
    </>
  );
}
