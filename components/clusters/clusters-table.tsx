"use client";
// The tenant's clusters, one server page at a time: search, filters and the label
// selector run on the server, so the browser never holds more than one page of rows
// however large the fleet. Filters live in the query string (shareable links); the
// page itself polls so new clusters and status changes show up without a reload.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useState } from "react";
import { toFormError } from "@/lib/errors";
import { useTRPC, type RouterOutputs } from "@/lib/trpc";
import { ChevronRightIcon, ClusterIcon, FilterIcon, XIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { Badge } from "../ui/badge";
import { agentIsOutdated, CURRENT_AGENT_VERSION } from "./agent-version";
import { AvailabilityBadge, LabelChips, RevisionStatus, SiteBadge } from "./badges";
import { NoClustersYet } from "./install-help";
import { LiveAgo } from "./live-time";
import { AVAILABILITIES, AVAILABILITY_LABEL, LIVE_INTERVAL_MS, SITE_LABEL, SITE_TYPES, type Availability, type SiteType } from "./meta";
import { useDebouncedParam, useQueryParams } from "./use-url-state";
import { LoadingRows } from "../ui/query-state";

export type ClusterRow = RouterOutputs["clusters"]["list"]["items"][number];

const PAGE_SIZE = 50;
const ANY = "any";

/** The server names the bad label first ("label key …") or quotes the bad part. */
function selectorError(messages: string[] | undefined): string | undefined {
  if (!messages?.length) return undefined;
  const m = messages.join(". ");
  return m.startsWith("label ") ? m.charAt(0).toUpperCase() + m.slice(1) : `Label selector: ${m}`;
}

const oneOf = <T extends string>(v: string | null, all: readonly T[]): T | undefined => (v && (all as readonly string[]).includes(v) ? (v as T) : undefined);

export function ClustersTable() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const { params, set } = useQueryParams();

  const search = params.get("q") ?? "";
  const siteType = oneOf<SiteType>(params.get("site"), SITE_TYPES);
  const availability = oneOf<Availability>(params.get("availability"), AVAILABILITIES);
  const labels = params.get("labels") ?? "";
  const filtered = !!(search || siteType || availability || labels);

  const commitSearch = useCallback((v: string) => set({ q: v.trim() || undefined }), [set]);
  const commitLabels = useCallback((v: string) => set({ labels: v.trim() || undefined }), [set]);
  const [searchText, setSearchText] = useDebouncedParam(search, commitSearch);
  const [labelsText, setLabelsText] = useDebouncedParam(labels, commitLabels, 500);

  // Cursors of the pages walked so far, for "Previous". A change of filters starts
  // again at the first page (the stack is keyed by the filters it was built under).
  const filterKey = JSON.stringify([search, siteType, availability, labels]);
  const [walk, setWalk] = useState<{ key: string; cursors: Array<string | undefined> }>({ key: filterKey, cursors: [undefined] });
  if (walk.key !== filterKey) setWalk({ key: filterKey, cursors: [undefined] });
  const cursors = walk.key === filterKey ? walk.cursors : [undefined];
  const page = cursors.length;
  const cursor = cursors[cursors.length - 1];

  const q = useQuery({
    ...trpc.clusters.list.queryOptions({
      tenant: slug,
      search: search || undefined,
      siteType,
      availability,
      labels: labels || undefined,
      limit: PAGE_SIZE,
      cursor,
    }),
    refetchInterval: LIVE_INTERVAL_MS,
    // Keep the current rows on screen while the next page or filter loads.
    placeholderData: keepPreviousData,
  });

  const error = q.error ? toFormError(q.error) : null;
  const labelsError = selectorError(error?.fieldErrors.labels);
  const items = q.data?.items ?? [];
  const nextCursor = q.data?.nextCursor ?? null;

  const pickLabel = (k: string, v: string) => {
    const parts = labels
      ? labels
          .split(",")
          .map((p) => p.trim())
          .filter((p) => p && !p.startsWith(`${k}=`))
      : [];
    const next = [...parts, `${k}=${v}`].join(",");
    setLabelsText(next);
    commitLabels(next);
  };
  const clearFilters = () => {
    setSearchText("");
    setLabelsText("");
    set({ q: undefined, site: undefined, availability: undefined, labels: undefined });
  };

  if (q.isPending && !filtered) {
    return (
      <Card className="flex flex-col gap-2 p-5" aria-busy="true" aria-label="Loading clusters">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="h-9 animate-pulse rounded-md bg-surface-2" />
        ))}
      </Card>
    );
  }
  // A tenant with no cluster at all gets the onboarding, not an empty table.
  if (q.isSuccess && items.length === 0 && !filtered && page === 1) return <NoClustersYet />;

  return (
    <Card>
      <div className="flex flex-wrap items-start gap-2 border-b border-border px-4 py-3">
        <div className="relative min-w-48 flex-1">
          <Input
            type="search"
            aria-label="Search clusters by name"
            placeholder="Search by name…"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            maxLength={100}
          />
        </div>
        <Select<string>
          aria-label="Site type"
          className="w-36"
          value={siteType ?? ANY}
          onValueChange={(v) => set({ site: v === ANY ? undefined : v })}
          options={[{ value: ANY, label: "All site types" }, ...SITE_TYPES.map((s) => ({ value: s, label: SITE_LABEL[s] }))]}
        />
        <Select<string>
          aria-label="Availability"
          className="w-40"
          value={availability ?? ANY}
          onValueChange={(v) => set({ availability: v === ANY ? undefined : v })}
          options={[{ value: ANY, label: "Any availability" }, ...AVAILABILITIES.map((a) => ({ value: a, label: AVAILABILITY_LABEL[a] }))]}
        />
        <div className="flex min-w-56 flex-1 flex-col gap-1">
          <div className="relative">
            <FilterIcon className="pointer-events-none absolute top-1/2 left-2.5 size-3.5 -translate-y-1/2 text-muted-foreground" />
            <Input
              aria-label="Label selector"
              aria-invalid={labelsError ? true : undefined}
              aria-describedby={labelsError ? "labels-error" : undefined}
              placeholder="Labels: env=prod,tier=edge"
              className="pl-8 font-mono text-[13px]"
              value={labelsText}
              onChange={(e) => setLabelsText(e.target.value)}
              maxLength={1000}
              spellCheck={false}
              autoCapitalize="off"
            />
          </div>
          {labelsError ? (
            <p id="labels-error" className="text-[12.5px] text-danger-subtle-foreground">
              {labelsError}
            </p>
          ) : null}
        </div>
        {filtered ? (
          <Button variant="ghost" onClick={clearFilters}>
            <XIcon className="size-3.5" />
            Clear
          </Button>
        ) : null}
      </div>

      {error && !labelsError ? (
        <div className="border-b border-border p-4">
          <Alert tone="danger">{q.data ? `Live updates paused: ${error.message}` : error.message}</Alert>
        </div>
      ) : null}

      {q.isPending ? (
        <LoadingRows label="Loading clusters" rows={3} tall />
      ) : items.length === 0 ? (
        labelsError ? null : page > 1 ? (
          // The cursor's cluster was deleted, or everything after it: the page is gone.
          <EmptyState
            icon={<ClusterIcon />}
            title="Nothing on this page any more"
            description="The clusters that were here have been deleted or renamed."
            action={
              <Button variant="secondary" onClick={() => setWalk({ key: filterKey, cursors: [undefined] })}>
                Back to the first page
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={<FilterIcon />}
            title="No clusters match"
            description="Nothing matches the name, site type, availability and labels together."
            action={
              <Button variant="secondary" onClick={clearFilters}>
                Clear filters
              </Button>
            }
          />
        )
      ) : (
        <Table aria-label="Clusters" aria-busy={q.isPlaceholderData || undefined} className={q.isPlaceholderData ? "opacity-60 transition-opacity" : undefined}>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Site</TH>
              <TH>Availability</TH>
              <TH>Last seen</TH>
              <TH className="hidden lg:table-cell">Kubernetes</TH>
              <TH className="hidden text-right md:table-cell">Nodes</TH>
              <TH className="hidden lg:table-cell">Agent</TH>
              <TH>Applied / desired</TH>
              <TH className="hidden lg:table-cell">Labels</TH>
            </TR>
          </THead>
          <TBody>
            {items.map((c) => (
              <ClusterTableRow key={c.id} c={c} base={`/t/${slug}/clusters`} onPickLabel={pickLabel} />
            ))}
          </TBody>
        </Table>
      )}

      <div className="flex flex-wrap items-center justify-between gap-3 border-t border-border px-4 py-2.5 text-[13px] text-muted-foreground">
        <span className="flex items-center gap-2">
          <LiveDot stale={!!error} />
          {items.length > 0 ? (
            <span className="tabular-nums">
              Page {page} · {(page - 1) * PAGE_SIZE + 1}–{(page - 1) * PAGE_SIZE + items.length}
            </span>
          ) : (
            <span>Page {page}</span>
          )}
        </span>
        <span className="flex items-center gap-2">
          <Button variant="secondary" size="sm" disabled={page === 1} onClick={() => setWalk({ key: filterKey, cursors: cursors.slice(0, -1) })}>
            Previous
          </Button>
          <Button
            variant="secondary"
            size="sm"
            disabled={!nextCursor || q.isPlaceholderData}
            onClick={() => nextCursor && setWalk({ key: filterKey, cursors: [...cursors, nextCursor] })}
          >
            Next
            <ChevronRightIcon className="size-3.5" />
          </Button>
        </span>
      </div>
    </Card>
  );
}

function ClusterTableRow({ c, base, onPickLabel }: { c: ClusterRow; base: string; onPickLabel: (k: string, v: string) => void }) {
  const where = [c.provider, c.region].filter(Boolean).join(" · ");
  return (
    <TR className="transition-colors hover:bg-surface-2/60">
      <TD className="max-w-60">
        <Link href={`${base}/${c.id}`} className="block truncate font-medium hover:text-accent hover:underline">
          {c.name}
        </Link>
        {where ? <p className="truncate text-xs text-muted-foreground">{where}</p> : null}
      </TD>
      <TD>
        <SiteBadge siteType={c.siteType} />
      </TD>
      <TD>
        <AvailabilityBadge availability={c.availability} />
      </TD>
      <TD className="whitespace-nowrap text-muted-foreground tabular-nums">
        <LiveAgo value={c.lastSeenAt} />
      </TD>
      <TD className="hidden font-mono text-[12.5px] whitespace-nowrap lg:table-cell">{c.kubernetesVersion ?? "—"}</TD>
      <TD className="hidden text-right tabular-nums md:table-cell">{c.nodeCount}</TD>
      <TD className="hidden font-mono text-[12.5px] whitespace-nowrap text-muted-foreground lg:table-cell">
        {c.agentVersion ?? "—"}
        {agentIsOutdated(c.agentVersion) ? (
          <Badge
            tone="warning"
            className="ml-1.5 font-sans"
            title={`Older than this control plane's agent (${CURRENT_AGENT_VERSION}): upgrade it by applying the install manifests again`}
          >
            Outdated
          </Badge>
        ) : null}
      </TD>
      <TD>
        <RevisionStatus applied={c.appliedRevision} desired={c.desiredRevision} compact />
      </TD>
      <TD className="hidden max-w-64 lg:table-cell">
        <LabelChips labels={c.labels} max={2} onPick={onPickLabel} className="flex-nowrap" />
      </TD>
    </TR>
  );
}

function LiveDot({ stale }: { stale: boolean }) {
  return (
    <span className="flex items-center gap-1.5" title={stale ? "The last refresh failed; retrying" : "Refreshes every few seconds"}>
      <span className="relative flex size-2">
        {stale ? null : <span className="absolute inline-flex size-full animate-ping rounded-full bg-success-subtle-foreground opacity-40" />}
        <span
          className={
            stale
              ? "relative inline-flex size-2 rounded-full bg-warning-subtle-foreground"
              : "relative inline-flex size-2 rounded-full bg-success-subtle-foreground"
          }
        />
      </span>
      {stale ? "Reconnecting" : "Live"}
    </span>
  );
}
