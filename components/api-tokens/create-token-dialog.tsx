"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fieldMessage, toFormError, type FormError } from "@/lib/errors";
import { formatDate } from "@/lib/format";
import { ROLE_HINT, ROLE_LABEL, ROLES, roleAtLeast, type Role } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc";
import { PlusIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-button";
import { Dialog, DialogBody, DialogClose, DialogContent, DialogFooter, DialogHeader, DialogTrigger } from "../ui/dialog";
import { Field } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";

interface Created {
  name: string;
  role: Role;
  expiresAt: string;
  token: string;
}

function CurlExample({ token }: { token: string }) {
  const [origin, setOrigin] = useState("");
  useEffect(() => setOrigin(window.location.origin), []);
  const cmd = `curl -H "Authorization: Bearer ${token}" \\\n  ${origin}/api/v1/me`;
  return <CopyField value={cmd} label="curl example" multiline />;
}

/** Create a token; its secret is shown in this dialog once and never again. */
export function CreateTokenDialog() {
  const { slug, role: myRole } = useTenant();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("VIEWER");
  const [days, setDays] = useState("90");
  const [error, setError] = useState<FormError | null>(null);
  const [dayError, setDayError] = useState<string | undefined>();
  const [created, setCreated] = useState<Created | null>(null);
  const create = useMutation(
    trpc.apiTokens.create.mutationOptions({
      onSuccess: async (t) => {
        setCreated({ name: t.name, role: t.role, expiresAt: t.expiresAt, token: t.token });
        await qc.invalidateQueries(trpc.apiTokens.list.pathFilter());
      },
      onError: (err) => setError(toFormError(err)),
    }),
  );

  function reset() {
    setName("");
    setRole("VIEWER");
    setDays("90");
    setError(null);
    setDayError(undefined);
    setCreated(null);
    create.reset();
  }

  const nameError = fieldMessage(error?.fieldErrors, "name", "Name");
  const roleError = fieldMessage(error?.fieldErrors, "role", "Role");
  const daysError = dayError ?? fieldMessage(error?.fieldErrors, "expiresInDays", "Expiry");
  // A token may not have more rights than its creator.
  const roleOptions = ROLES.filter((r) => roleAtLeast(myRole, r)).map((r) => ({ value: r, label: ROLE_LABEL[r], hint: ROLE_HINT[r] }));

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        // Closing forgets the secret: it cannot be shown again.
        if (!o) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <PlusIcon className="size-4" />
          Create token
        </Button>
      </DialogTrigger>
      <DialogContent wide={!!created}>
        {created ? (
          <>
            <DialogHeader title="Token created" description={`“${created.name}” acts as ${ROLE_LABEL[created.role]} until ${formatDate(created.expiresAt)}.`} />
            <DialogBody>
              <Alert tone="warning">Copy the token now. It is not stored anywhere and cannot be shown again.</Alert>
              <div className="flex flex-col gap-1.5">
                <p className="text-[13px] font-medium">API token</p>
                <CopyField value={created.token} label="API token" />
              </div>
              <div className="flex flex-col gap-1.5">
                <p className="text-[13px] font-medium">Try it</p>
                <CurlExample token={created.token} />
              </div>
            </DialogBody>
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              const n = Number(days);
              if (!Number.isInteger(n) || n < 1 || n > 365) {
                setDayError("Expiry must be a whole number of days from 1 to 365");
                return;
              }
              setDayError(undefined);
              create.mutate({ tenant: slug, name, role, expiresInDays: n });
            }}
          >
            <DialogHeader title="Create an API token" description="For scripts and CI: send it as `Authorization: Bearer <token>` to /api/v1 or /api/trpc." />
            <DialogBody>
              {error && !nameError && !roleError && !daysError ? <Alert tone="danger">{error.message}</Alert> : null}
              <Field label="Name" error={nameError} hint="What uses it, e.g. “ci-deploy”.">
                <Input name="name" autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
              </Field>
              <Field label="Role" error={roleError} hint="At most your own role.">
                <Select<Role> value={role} onValueChange={setRole} options={roleOptions} />
              </Field>
              <Field label="Expires in (days)" error={daysError} hint="From 1 to 365 days.">
                <Input
                  name="expiresInDays"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={365}
                  step={1}
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                  className="w-32"
                />
              </Field>
            </DialogBody>
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="secondary">Cancel</Button>
              </DialogClose>
              <Button type="submit" loading={create.isPending}>
                Create token
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
