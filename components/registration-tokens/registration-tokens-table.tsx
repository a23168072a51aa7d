"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDate, formatDateTime } from "@/lib/format";
import { scope, useTRPC } from "@/lib/trpc";
import { LabelChips, SiteBadge } from "../clusters/badges";
import { LiveAgo, LiveUntil } from "../clusters/live-time";
import { TicketIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { CreateRegistrationTokenDialog } from "./create-registration-token-dialog";
import { tokenState, usesText, type RegistrationToken } from "./token-meta";
import { LoadingRows, QueryError } from "../ui/query-state";

// Uses and "last used" move when agents enrol, so the list polls too (more slowly than clusters).
const REFRESH_MS = 5_000;

export function RegistrationTokensTable() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery({ ...trpc.registrationTokens.list.queryOptions(scope(slug)), refetchInterval: REFRESH_MS });
  const revoke = useConfirmAction({
    mutation: trpc.registrationTokens.revoke.mutationOptions(),
    variables: (t: RegistrationToken) => ({ tenant: slug, id: t.id }),
    onDone: async (_, t) => {
      toast(`Token “${t.name}” revoked`);
      await qc.invalidateQueries(trpc.registrationTokens.list.pathFilter());
    },
  });
  const items = q.data?.items ?? [];
  const redeemable = items.filter((t) => t.redeemable).length;

  return (
    <Card>
      <CardHeader
        title="Tokens"
        description={items.length ? `${redeemable} of ${items.length} can still enrol a cluster.` : "Each token enrols clusters into this tenant only."}
        actions={<CreateRegistrationTokenDialog />}
      />
      {q.isPending ? (
        <LoadingRows label="Loading registration tokens" />
      ) : q.isError && !q.data ? (
        <QueryError error={q.error} />
      ) : items.length === 0 ? (
        <EmptyState
          icon={<TicketIcon />}
          title="No registration tokens yet"
          description="Create one, then run the agent with it in the cluster you want to add. By default a token enrols one cluster within 24 hours."
        />
      ) : (
        <Table aria-label="Registration tokens">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>State</TH>
              <TH>Expires</TH>
              <TH className="text-right">Uses</TH>
              <TH className="hidden md:table-cell">Last used</TH>
              <TH className="hidden lg:table-cell">Site type</TH>
              <TH className="hidden lg:table-cell">Labels</TH>
              <TH className="hidden xl:table-cell">Created</TH>
              <TH className="w-0">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {items.map((t) => (
              <TokenRow key={t.id} t={t} onRevoke={() => revoke.ask(t)} />
            ))}
          </TBody>
        </Table>
      )}
      <ConfirmDialog
        {...revoke.dialog}
        title={`Revoke “${revoke.target?.name ?? ""}”?`}
        description="Agents that try to enrol with it from now on are refused. Clusters it already enrolled keep their own credentials and stay connected. This cannot be undone."
        confirmLabel="Revoke token"
      />
    </Card>
  );
}

function TokenRow({ t, onRevoke }: { t: RegistrationToken; onRevoke: () => void }) {
  const s = tokenState(t);
  const dim = !t.redeemable;
  return (
    <TR className={dim ? "text-muted-foreground" : undefined}>
      <TD className="max-w-56">
        <div className="flex flex-col leading-tight">
          <span className={dim ? "truncate font-medium" : "truncate font-medium text-foreground"}>{t.name}</span>
          <span className="font-mono text-xs text-muted-foreground">isr_{t.id.slice(0, 8)}…</span>
        </div>
      </TD>
      <TD>
        <Badge tone={s.tone}>{s.label}</Badge>
      </TD>
      <TD className="whitespace-nowrap tabular-nums">
        {t.revokedAt ? (
          <span title={`Revoked ${formatDateTime(t.revokedAt)}`}>
            Revoked <LiveAgo value={t.revokedAt} />
          </span>
        ) : (
          <LiveUntil value={t.expiresAt} />
        )}
      </TD>
      <TD
        className="text-right whitespace-nowrap tabular-nums"
        title={t.usesLeft === null ? "No limit on uses" : `${t.usesLeft} ${t.usesLeft === 1 ? "use" : "uses"} left`}
      >
        {usesText(t)}
      </TD>
      <TD className="hidden whitespace-nowrap tabular-nums md:table-cell">
        <LiveAgo value={t.lastUsedAt} />
      </TD>
      <TD className="hidden lg:table-cell">
        {t.siteType ? <SiteBadge siteType={t.siteType} /> : <span className="text-[13px] text-muted-foreground">Agent&apos;s</span>}
      </TD>
      <TD className="hidden max-w-56 lg:table-cell">
        <LabelChips labels={t.labels} max={2} className="flex-nowrap" />
      </TD>
      <TD className="hidden whitespace-nowrap xl:table-cell">
        <time dateTime={new Date(t.createdAt).toISOString()} title={formatDateTime(t.createdAt)}>
          {formatDate(t.createdAt)}
        </time>
      </TD>
      <TD className="text-right">
        {t.revokedAt ? null : (
          <Button variant="danger-ghost" size="sm" aria-label={`Revoke token ${t.name}`} onClick={onRevoke}>
            Revoke
          </Button>
        )}
      </TD>
    </TR>
  );
}
