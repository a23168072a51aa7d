"use client";
import { useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { cn } from "@/lib/cn";
import { formatDateTime, formatRelative, localInputToIso } from "@/lib/format";
import { useTRPC, useTRPCClient, type RouterOutputs } from "@/lib/trpc";
import { ChevronRightIcon, FilterIcon, ScrollIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { ACTOR_TYPE_LABEL, auditCsv, describeEntry, describeTarget } from "./audit-describe";
import { LoadingRows, QueryError } from "../ui/query-state";

type Entry = RouterOutputs["audit"]["list"]["items"][number];
type ActorType = Entry["actorType"];

interface Filters {
  action: string;
  actorType: ActorType | "ANY";
  actor: string;
  since: string;
  until: string;
}
const EMPTY: Filters = { action: "", actorType: "ANY", actor: "", since: "", until: "" };
const EXPORT_MAX = 10_000;

function DiffView({ diff, id }: { diff: unknown; id: string }) {
  const fields = diff && typeof diff === "object" ? Object.entries(diff as Record<string, { from?: unknown; to?: unknown }>) : [];
  const show = (v: unknown) =>
    v === null || v === undefined ? <span className="text-muted-foreground italic">none</span> : typeof v === "string" ? v : JSON.stringify(v);
  return (
    <div id={id} className="px-4 pt-1 pb-4">
      {fields.length === 0 ? (
        <p className="text-[13px] text-muted-foreground">No field changes were recorded for this entry.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-surface-2/60">
          <table className="w-full font-mono text-[12.5px]">
            <thead>
              <tr className="border-b border-border text-left text-muted-foreground">
                <th className="px-3 py-1.5 font-medium">field</th>
                <th className="px-3 py-1.5 font-medium">before</th>
                <th className="px-3 py-1.5 font-medium">after</th>
              </tr>
            </thead>
            <tbody>
              {fields.map(([k, v]) => (
                <tr key={k} className="border-b border-border last:border-b-0 align-top">
                  <td className="px-3 py-1.5 text-muted-foreground">{k}</td>
                  <td className="px-3 py-1.5 break-all text-danger-subtle-foreground">{show(v?.from)}</td>
                  <td className="px-3 py-1.5 break-all text-success-subtle-foreground">{show(v?.to)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function AuditLog() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState<Filters>(EMPTY);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [rangeError, setRangeError] = useState<string | undefined>();

  const input = {
    tenant: slug,
    limit: 50,
    ...(applied.action.trim() ? { action: applied.action.trim() } : {}),
    ...(applied.actorType !== "ANY" ? { actorType: applied.actorType } : {}),
    ...(applied.actor.trim() ? { actor: applied.actor.trim() } : {}),
    ...(applied.since ? { since: localInputToIso(applied.since) } : {}),
    ...(applied.until ? { until: localInputToIso(applied.until) } : {}),
  };
  const q = useInfiniteQuery(trpc.audit.list.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }));
  const client = useTRPCClient();
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | undefined>();
  // Every entry the filters match (not just the pages loaded), page by page, up to a cap
  // that keeps the browser responsive; the file name says the tenant and the day.
  const exportCsv = async () => {
    setExporting(true);
    setExportError(undefined);
    try {
      const all: Entry[] = [];
      let cursor: string | undefined;
      do {
        const page = await client.audit.list.query({ ...input, limit: 200, ...(cursor ? { cursor } : {}) });
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && all.length < EXPORT_MAX);
      const url = URL.createObjectURL(new Blob([auditCsv(all)], { type: "text/csv;charset=utf-8" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = `audit-${slug}-${new Date().toISOString().slice(0, 10)}.csv`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(`The export failed: ${(err as Error).message}`);
    } finally {
      setExporting(false);
    }
  };
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = JSON.stringify(applied) !== JSON.stringify(EMPTY);
  const now = Date.now();

  const toggle = (id: string) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <div className="flex flex-col gap-4">
      <Card className="p-4">
        <form
          aria-label="Filter the audit log"
          className="grid grid-cols-1 items-start gap-3 sm:grid-cols-2 lg:grid-cols-3"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.since && draft.until && new Date(draft.since) >= new Date(draft.until)) {
              setRangeError("Until must be after Since");
              return;
            }
            setRangeError(undefined);
            setOpen(new Set());
            setApplied(draft);
          }}
        >
          <Field label="Action starts with">
            <Input
              value={draft.action}
              placeholder="e.g. api-token."
              onChange={(e) => setDraft({ ...draft, action: e.target.value })}
              className="font-mono text-[13px]"
            />
          </Field>
          <Field label="Actor type">
            <Select<Filters["actorType"]>
              value={draft.actorType}
              onValueChange={(v) => setDraft({ ...draft, actorType: v })}
              options={[
                { value: "ANY", label: "Any" },
                ...(["USER", "API_TOKEN", "AGENT", "SYSTEM"] as const).map((v) => ({ value: v, label: ACTOR_TYPE_LABEL[v] })),
              ]}
            />
          </Field>
          <Field label="Actor">
            <Input value={draft.actor} placeholder="email or token name" onChange={(e) => setDraft({ ...draft, actor: e.target.value })} />
          </Field>
          <Field label="Since">
            <Input type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} />
          </Field>
          <Field label="Until" error={rangeError}>
            <Input type="datetime-local" value={draft.until} onChange={(e) => setDraft({ ...draft, until: e.target.value })} />
          </Field>
          <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-1 lg:mt-[26px]">
            <Button type="submit" variant="secondary">
              <FilterIcon className="size-3.5" />
              Apply
            </Button>
            <Button
              type="button"
              variant="secondary"
              loading={exporting}
              onClick={() => void exportCsv()}
              title={`Every entry these filters match, up to ${EXPORT_MAX.toLocaleString()}`}
            >
              Export CSV
            </Button>
            {filtered ? (
              <Button
                variant="ghost"
                onClick={() => {
                  setDraft(EMPTY);
                  setApplied(EMPTY);
                  setRangeError(undefined);
                }}
              >
                Clear
              </Button>
            ) : null}
          </div>
        </form>
      </Card>

      {exportError ? (
        <p role="alert" className="text-[13px] text-danger">
          {exportError}
        </p>
      ) : null}
      <Card>
        {q.isPending ? (
          <LoadingRows label="Loading the audit log" rows={4} />
        ) : q.isError ? (
          <QueryError error={q.error} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<ScrollIcon />}
            title={filtered ? "No entries match these filters" : "Nothing recorded yet"}
            description={filtered ? "Widen the time range or clear the filters." : undefined}
          />
        ) : (
          <Table aria-label="Audit log">
            <THead>
              <TR>
                <TH className="w-8">
                  <span className="sr-only">Details</span>
                </TH>
                <TH>Time</TH>
                <TH>Actor</TH>
                <TH>Action</TH>
                <TH>Target</TH>
                <TH>Source IP</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((e) => {
                const expanded = open.has(e.id);
                const detailId = `audit-${e.id}`;
                return (
                  <Fragment key={e.id}>
                    <TR className={cn("cursor-pointer hover:bg-surface-2/60", expanded && "border-b-0 bg-surface-2/60")} onClick={() => toggle(e.id)}>
                      <TD className="pr-0">
                        <button
                          type="button"
                          aria-expanded={expanded}
                          aria-controls={expanded ? detailId : undefined}
                          aria-label={`${expanded ? "Hide" : "Show"} changes of ${e.action}`}
                          onClick={(ev) => {
                            ev.stopPropagation();
                            toggle(e.id);
                          }}
                          className="flex size-6 items-center justify-center rounded text-muted-foreground hover:bg-surface-2 hover:text-foreground"
                        >
                          <ChevronRightIcon className={cn("size-3.5 transition-transform", expanded && "rotate-90")} />
                        </button>
                      </TD>
                      <TD className="whitespace-nowrap text-muted-foreground tabular-nums">
                        <time dateTime={e.createdAt} title={formatRelative(e.createdAt, now)}>
                          {formatDateTime(e.createdAt)}
                        </time>
                      </TD>
                      <TD>
                        <div className="flex flex-col leading-tight">
                          <span className="max-w-56 truncate font-medium">{e.actorLabel}</span>
                          <span className="text-xs text-muted-foreground">{ACTOR_TYPE_LABEL[e.actorType]}</span>
                        </div>
                      </TD>
                      <TD>
                        <div className="flex flex-col leading-tight">
                          <span>{describeEntry(e)}</span>
                          <span className="font-mono text-xs text-muted-foreground">{e.action}</span>
                        </div>
                      </TD>
                      <TD className="max-w-64 truncate">{describeTarget(e)}</TD>
                      <TD className="font-mono text-[12.5px] whitespace-nowrap text-muted-foreground">{e.sourceIp ?? "—"}</TD>
                    </TR>
                    {expanded ? (
                      <tr className="border-b border-border bg-surface-2/60">
                        <td colSpan={6}>
                          <DiffView diff={e.diff} id={detailId} />
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </TBody>
          </Table>
        )}
        {q.hasNextPage ? (
          <div className="flex justify-center border-t border-border p-3">
            <Button variant="secondary" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
              Load more
            </Button>
          </div>
        ) : rows.length > 0 ? (
          <p className="border-t border-border px-4 py-3 text-center text-xs text-muted-foreground">
            {rows.length} {rows.length === 1 ? "entry" : "entries"}
            {filtered ? " match" : ""} — that is all.
          </p>
        ) : null}
      </Card>
    </div>
  );
}
