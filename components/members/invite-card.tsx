"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fieldMessage, toFormError, type FormError } from "@/lib/errors";
import { formatDateTime, formatRelative } from "@/lib/format";
import { grantableRoles, ROLE_HINT, ROLE_LABEL, type Role } from "@/lib/roles";
import { scope, useTRPC } from "@/lib/trpc";
import { MailIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardBody, CardHeader } from "../ui/card";
import { useConfirmAction } from "../ui/confirm-action";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { CopyField } from "../ui/copy-button";
import { EmptyState } from "../ui/empty-state";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useToast } from "../ui/toast";
import { QueryError } from "../ui/query-state";

/** Invite by email; the link (which carries the secret) is shown here once. */
export function InviteCard() {
  const { slug, role: myRole } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("VIEWER");
  const [error, setError] = useState<FormError | null>(null);
  const [created, setCreated] = useState<{ email: string; role: Role; link: string } | null>(null);
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: async (res) => {
        setCreated({ email: res.email, role: res.role, link: res.link });
        setEmail("");
        await qc.invalidateQueries(trpc.members.invites.pathFilter());
      },
      onError: (err) => setError(toFormError(err)),
    }),
  );
  const emailError = fieldMessage(error?.fieldErrors, "email", "Email");
  const roleError = fieldMessage(error?.fieldErrors, "role", "Role");
  return (
    <Card>
      <CardHeader title="Invite a member" description="Send the invite link to them yourself: it works once and expires in 7 days." />
      <CardBody className="flex flex-col gap-4">
        <form
          noValidate
          aria-label="Invite a member"
          className="grid grid-cols-1 items-start gap-3 sm:grid-cols-[1fr_12rem_auto]"
          onSubmit={(e) => {
            e.preventDefault();
            setError(null);
            setCreated(null);
            invite.mutate({ tenant: slug, email, role });
          }}
        >
          <Field label="Email" error={emailError}>
            <Input type="email" name="email" autoComplete="off" placeholder="teammate@example.com" value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Role" error={roleError}>
            <Select<Role>
              value={role}
              onValueChange={setRole}
              options={grantableRoles(myRole).map((r) => ({ value: r, label: ROLE_LABEL[r], hint: ROLE_HINT[r] }))}
            />
          </Field>
          <Button type="submit" loading={invite.isPending} className="sm:mt-[26px]">
            Create invite
          </Button>
        </form>
        {error && !emailError && !roleError ? <Alert tone="danger">{error.message}</Alert> : null}
        {created ? (
          <div className="flex flex-col gap-2 rounded-lg border border-accent/30 bg-accent-subtle/40 p-3">
            <p className="text-[13px]">
              Invite link for <span className="font-medium">{created.email}</span> as <Badge tone="accent">{ROLE_LABEL[created.role]}</Badge>. Copy it now: it
              is not shown again.
            </p>
            <CopyField value={created.link} label="Invite link" />
            <div className="flex justify-end">
              <Button variant="ghost" size="sm" onClick={() => setCreated(null)}>
                Done
              </Button>
            </div>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}

export function OpenInvites() {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const toast = useToast();
  const q = useQuery(trpc.members.invites.queryOptions(scope(slug)));
  const revoke = useConfirmAction({
    mutation: trpc.members.revokeInvite.mutationOptions(),
    variables: (t: { id: string; email: string }) => ({ tenant: slug, id: t.id }),
    onDone: async (_, t) => {
      toast(`Invite for ${t.email} revoked`);
      await qc.invalidateQueries(trpc.members.invites.pathFilter());
    },
  });
  const items = q.data?.items ?? [];
  return (
    <Card>
      <CardHeader title="Open invites" description="Invites not yet accepted. Revoke one to make its link stop working." />
      {q.isPending ? (
        <div className="h-16 animate-pulse" aria-busy="true" />
      ) : q.isError ? (
        <QueryError error={q.error} />
      ) : items.length === 0 ? (
        <EmptyState icon={<MailIcon />} title="No open invites" className="py-8" />
      ) : (
        <Table aria-label="Open invites">
          <THead>
            <TR>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH className="hidden md:table-cell">Invited</TH>
              <TH>Expires</TH>
              <TH className="w-0">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {items.map((i) => (
              <TR key={i.id}>
                <TD className="font-medium">{i.email}</TD>
                <TD>
                  <Badge>{ROLE_LABEL[i.role]}</Badge>
                </TD>
                <TD className="hidden whitespace-nowrap text-muted-foreground md:table-cell">
                  <time dateTime={i.createdAt} title={formatDateTime(i.createdAt)}>
                    {formatRelative(i.createdAt)}
                  </time>
                </TD>
                <TD className="whitespace-nowrap text-muted-foreground">
                  <time dateTime={i.expiresAt} title={formatDateTime(i.expiresAt)}>
                    {formatRelative(i.expiresAt)}
                  </time>
                </TD>
                <TD className="text-right">
                  <Button variant="danger-ghost" size="sm" aria-label={`Revoke invite for ${i.email}`} onClick={() => revoke.ask({ id: i.id, email: i.email })}>
                    Revoke
                  </Button>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <ConfirmDialog
        {...revoke.dialog}
        title={`Revoke the invite for ${revoke.target?.email ?? ""}?`}
        description="The link stops working at once. You can invite them again later."
        confirmLabel="Revoke invite"
      />
    </Card>
  );
}
