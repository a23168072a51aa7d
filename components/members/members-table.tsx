"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toFormError } from "@/lib/errors";
import { formatDate, formatDateTime, formatRelative } from "@/lib/format";
import { grantableRoles, ROLE_LABEL, roleAtLeast, type Role } from "@/lib/roles";
import { scope, useTRPC, type RouterOutputs } from "@/lib/trpc";
import { UsersIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardHeader } from "../ui/card";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { EmptyState } from "../ui/empty-state";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { Avatar } from "../shell/user-menu";
import { LoadingRows, QueryError } from "../ui/query-state";

type Member = RouterOutputs["members"]["list"]["items"][number];

function RoleCell({ member, isSelf }: { member: Member; isSelf: boolean }) {
  const { slug, role: myRole } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.members.updateRole.mutationOptions({
      onSuccess: async (res) => {
        setError(null);
        toast(`${member.email} is now ${ROLE_LABEL[res.role]}`);
        await qc.invalidateQueries(trpc.members.list.pathFilter());
        // Demoting yourself changes what this console may show you.
        if (isSelf) router.refresh();
      },
      onError: (err) => setError(toFormError(err).message),
    }),
  );
  // Only owners manage owners; admins manage everyone else.
  const canManage = roleAtLeast(myRole, "ADMIN") && (member.role !== "OWNER" || myRole === "OWNER");
  if (!canManage) return <Badge tone={member.role === "OWNER" ? "accent" : "neutral"}>{ROLE_LABEL[member.role]}</Badge>;
  const options = grantableRoles(myRole).map((r) => ({ value: r, label: ROLE_LABEL[r] }));
  return (
    <div className="flex flex-col gap-1.5">
      <Select<Role>
        size="sm"
        className="w-32"
        aria-label={`Role of ${member.email}`}
        value={member.role}
        disabled={update.isPending}
        options={options}
        onValueChange={(role) => update.mutate({ tenant: slug, userId: member.userId, role })}
      />
      {error ? (
        <Alert tone="danger" className="max-w-xs py-1.5">
          {error}
        </Alert>
      ) : null}
    </div>
  );
}

function RemoveButton({ member, isSelf }: { member: Member; isSelf: boolean }) {
  const { slug, role: myRole, name } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const remove = useConfirmAction({
    mutation: trpc.members.remove.mutationOptions(),
    variables: () => ({ tenant: slug, userId: member.userId }),
    onDone: async () => {
      if (isSelf) {
        router.push("/");
        router.refresh();
        return;
      }
      toast(`${member.email} was removed`);
      await qc.invalidateQueries(trpc.members.list.pathFilter());
    },
  });
  const canRemove = isSelf || (roleAtLeast(myRole, "ADMIN") && (member.role !== "OWNER" || myRole === "OWNER"));
  if (!canRemove) return null;
  return (
    <>
      <Button variant="danger-ghost" size="sm" onClick={() => remove.ask(true)} aria-label={isSelf ? "Leave tenant" : `Remove ${member.email}`}>
        {isSelf ? "Leave" : "Remove"}
      </Button>
      <ConfirmDialog
        {...remove.dialog}
        title={isSelf ? `Leave ${name}?` : `Remove ${member.email}?`}
        description={
          isSelf
            ? "You will lose access to this tenant until someone invites you again."
            : `They lose access to ${name} at once. Their API tokens stay until revoked.`
        }
        confirmLabel={isSelf ? "Leave tenant" : "Remove member"}
      />
    </>
  );
}

export function MembersTable() {
  const { slug, user } = useTenant();
  const trpc = useTRPC();
  const q = useQuery(trpc.members.list.queryOptions(scope(slug)));
  const items = q.data?.items ?? [];
  return (
    <Card>
      <CardHeader
        title="Members"
        description={
          q.data ? `${items.length} ${items.length === 1 ? "person has" : "people have"} access to this tenant.` : "People with access to this tenant."
        }
      />
      {q.isPending ? (
        <LoadingRows label="Loading members" rows={3} />
      ) : q.isError ? (
        <QueryError error={q.error} />
      ) : items.length === 0 ? (
        <EmptyState icon={<UsersIcon />} title="No members" />
      ) : (
        <Table aria-label="Members">
          <THead>
            <TR>
              <TH>Member</TH>
              <TH>Role</TH>
              <TH className="hidden md:table-cell">Joined</TH>
              <TH className="hidden sm:table-cell">Last sign-in</TH>
              <TH className="w-0">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {items.map((m) => {
              const isSelf = m.userId === user.id;
              return (
                <TR key={m.userId}>
                  <TD>
                    <div className="flex items-center gap-3">
                      <Avatar name={m.name} email={m.email} />
                      <div className="flex min-w-0 flex-col leading-tight">
                        <span className="flex items-center gap-2 font-medium">
                          <span className="truncate">{m.name || m.email}</span>
                          {isSelf ? <Badge>You</Badge> : null}
                        </span>
                        {m.name ? <span className="truncate text-[13px] text-muted-foreground">{m.email}</span> : null}
                      </div>
                    </div>
                  </TD>
                  <TD className="py-2">
                    <RoleCell member={m} isSelf={isSelf} />
                  </TD>
                  <TD className="hidden whitespace-nowrap text-muted-foreground md:table-cell">
                    <time dateTime={m.joinedAt} title={formatDateTime(m.joinedAt)}>
                      {formatDate(m.joinedAt)}
                    </time>
                  </TD>
                  <TD className="hidden whitespace-nowrap text-muted-foreground sm:table-cell">
                    {m.lastLoginAt ? (
                      <time dateTime={m.lastLoginAt} title={formatDateTime(m.lastLoginAt)}>
                        {formatRelative(m.lastLoginAt)}
                      </time>
                    ) : (
                      "Never"
                    )}
                  </TD>
                  <TD className="text-right">
                    <RemoveButton member={m} isSelf={isSelf} />
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
