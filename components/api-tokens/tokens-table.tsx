"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDate, formatDateTime, formatRelative, toDate } from "@/lib/format";
import { ROLE_LABEL } from "@/lib/roles";
import { scope, useTRPC, type RouterOutputs } from "@/lib/trpc";
import { KeyIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { CreateTokenDialog } from "./create-token-dialog";
import { LoadingRows, QueryError } from "../ui/query-state";

type Token = RouterOutputs["apiTokens"]["list"]["items"][number];

function status(t: Token, now: number) {
  if (t.revokedAt) return { label: "Revoked", tone: "danger" as const };
  if ((toDate(t.expiresAt)?.getTime() ?? 0) <= now) return { label: "Expired", tone: "warning" as const };
  return { label: "Active", tone: "success" as const };
}

export function TokensTable() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery(trpc.apiTokens.list.queryOptions(scope(slug)));
  const revoke = useConfirmAction({
    mutation: trpc.apiTokens.revoke.mutationOptions(),
    variables: (t: Token) => ({ tenant: slug, id: t.id }),
    onDone: async (_, t) => {
      toast(`Token “${t.name}” revoked`);
      await qc.invalidateQueries(trpc.apiTokens.list.pathFilter());
    },
  });
  const items = q.data?.items ?? [];
  const now = Date.now();
  return (
    <Card>
      <CardHeader title="Tokens" description="Each token belongs to this tenant only and acts with its own role." actions={<CreateTokenDialog />} />
      {q.isPending ? (
        <LoadingRows label="Loading tokens" />
      ) : q.isError ? (
        <QueryError error={q.error} />
      ) : items.length === 0 ? (
        <EmptyState icon={<KeyIcon />} title="No API tokens yet" description="Create one for CI, scripts or the CLI. Its secret is shown once." />
      ) : (
        <Table aria-label="API tokens">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Role</TH>
              <TH>Status</TH>
              <TH className="hidden lg:table-cell">Created</TH>
              <TH>Expires</TH>
              <TH className="hidden md:table-cell">Last used</TH>
              <TH className="w-0">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {items.map((t) => {
              const s = status(t, now);
              const inactive = s.label !== "Active";
              return (
                <TR key={t.id} className={inactive ? "text-muted-foreground" : undefined}>
                  <TD>
                    <div className="flex flex-col leading-tight">
                      <span className={inactive ? "font-medium line-through decoration-1" : "font-medium"}>{t.name}</span>
                      <span className="font-mono text-xs text-muted-foreground">ist_{t.id.slice(0, 8)}…</span>
                    </div>
                  </TD>
                  <TD>
                    <Badge>{ROLE_LABEL[t.role]}</Badge>
                  </TD>
                  <TD>
                    <Badge tone={s.tone}>{s.label}</Badge>
                  </TD>
                  <TD className="hidden whitespace-nowrap text-muted-foreground lg:table-cell">
                    <time dateTime={t.createdAt} title={formatDateTime(t.createdAt)}>
                      {formatDate(t.createdAt)}
                    </time>
                  </TD>
                  <TD className="whitespace-nowrap text-muted-foreground">
                    {t.revokedAt ? (
                      <span title={`Revoked ${formatDateTime(t.revokedAt)}`}>Revoked {formatRelative(t.revokedAt, now)}</span>
                    ) : (
                      <time dateTime={t.expiresAt} title={formatDateTime(t.expiresAt)}>
                        {formatRelative(t.expiresAt, now)}
                      </time>
                    )}
                  </TD>
                  <TD className="hidden whitespace-nowrap text-muted-foreground md:table-cell">
                    {t.lastUsedAt ? (
                      <time dateTime={t.lastUsedAt} title={formatDateTime(t.lastUsedAt)}>
                        {formatRelative(t.lastUsedAt, now)}
                      </time>
                    ) : (
                      "Never"
                    )}
                  </TD>
                  <TD className="text-right">
                    {t.revokedAt ? null : (
                      <Button variant="danger-ghost" size="sm" aria-label={`Revoke token ${t.name}`} onClick={() => revoke.ask(t)}>
                        Revoke
                      </Button>
                    )}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <ConfirmDialog
        {...revoke.dialog}
        title={`Revoke “${revoke.target?.name ?? ""}”?`}
        description="Anything using this token gets 401 from its next request. This cannot be undone."
        confirmLabel="Revoke token"
      />
    </Card>
  );
}
