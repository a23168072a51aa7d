"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn, signOut } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldMessage, toFormError, type FormError } from "@/lib/errors";
import { ROLE_LABEL, type Role } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc";
import { Alert } from "../ui/alert";
import { Button, buttonClass } from "../ui/button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";

export interface InviteSummary {
  tenantName: string;
  tenantSlug: string;
  email: string;
  role: Role;
  hasAccount: boolean;
}

function AcceptAsSignedIn({ token, invite }: { token: string; invite: InviteSummary }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const accept = useMutation(
    trpc.invites.accept.mutationOptions({
      onSuccess: (res) => {
        router.push(`/t/${res.tenantSlug}`);
        router.refresh();
      },
      onError: (err) => setError(toFormError(err).message),
    }),
  );
  return (
    <div className="flex flex-col gap-3">
      {error ? <Alert tone="danger">{error}</Alert> : null}
      <Button size="lg" className="w-full" loading={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ token })}>
        Accept and join {invite.tenantName}
      </Button>
    </div>
  );
}

function CreateAccount({ token, invite }: { token: string; invite: InviteSummary }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<FormError | null>(null);
  const [confirmError, setConfirmError] = useState<string | undefined>();
  const [signingIn, setSigningIn] = useState(false);
  const accept = useMutation(
    trpc.invites.accept.mutationOptions({
      onSuccess: async (res) => {
        // The account exists now; sign in with the password just chosen.
        setSigningIn(true);
        const r = await signIn("credentials", { redirect: false, email: invite.email, password });
        if (!r || r.error || !r.ok) {
          router.push(`/signin?callbackUrl=${encodeURIComponent(`/t/${res.tenantSlug}`)}&email=${encodeURIComponent(invite.email)}`);
          return;
        }
        router.push(`/t/${res.tenantSlug}`);
        router.refresh();
      },
      onError: (err) => setError(toFormError(err)),
    }),
  );
  // The password rule arrives under `newAccount` (the nested input object).
  const passwordError = fieldMessage(error?.fieldErrors, "newAccount", "Password") ?? fieldMessage(error?.fieldErrors, "newAccount.password", "Password");
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        setError(null);
        if (password !== confirm) {
          setConfirmError("The passwords do not match");
          return;
        }
        setConfirmError(undefined);
        accept.mutate({ token, newAccount: { name: name.trim() || undefined, password } });
      }}
    >
      {error && !passwordError ? <Alert tone="danger">{error.message}</Alert> : null}
      <Field label="Email">
        <Input value={invite.email} readOnly disabled autoComplete="username" />
      </Field>
      <Field label="Your name" hint="Optional. Shown to other members.">
        <Input name="name" autoComplete="name" autoFocus value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
      </Field>
      <Field label="Password" error={passwordError} hint="At least 12 characters.">
        <Input type="password" name="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      <Field label="Confirm password" error={confirmError}>
        <Input type="password" name="confirm" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} />
      </Field>
      <Button type="submit" size="lg" className="mt-1 w-full" loading={accept.isPending || signingIn}>
        Create account and join
      </Button>
    </form>
  );
}

export function AcceptInvite({ token, invite, signedInAs }: { token: string; invite: InviteSummary; signedInAs: string | null }) {
  const here = `/invite/${encodeURIComponent(token)}`;
  if (signedInAs && signedInAs === invite.email) return <AcceptAsSignedIn token={token} invite={invite} />;
  if (signedInAs) {
    return (
      <div className="flex flex-col gap-3">
        <Alert tone="warning">
          This invite is for <span className="font-medium">{invite.email}</span>, but you are signed in as <span className="font-medium">{signedInAs}</span>.
        </Alert>
        <Button variant="secondary" size="lg" className="w-full" onClick={() => void signOut({ callbackUrl: here })}>
          Sign out and continue as {invite.email}
        </Button>
      </div>
    );
  }
  if (invite.hasAccount) {
    return (
      <div className="flex flex-col gap-3">
        <p className="text-sm text-muted-foreground">
          <span className="font-medium text-foreground">{invite.email}</span> already has an Isthmus account. Sign in to accept.
        </p>
        <Link
          href={`/signin?callbackUrl=${encodeURIComponent(here)}&email=${encodeURIComponent(invite.email)}`}
          className={buttonClass("primary", "lg", "w-full")}
        >
          Sign in to accept
        </Link>
      </div>
    );
  }
  return <CreateAccount token={token} invite={invite} />;
}

export function InviteHeading({ invite }: { invite: InviteSummary }) {
  return (
    <div className="mb-6 flex flex-col gap-1.5 text-center">
      <h1 className="text-xl font-semibold tracking-tight">Join {invite.tenantName}</h1>
      <p className="text-sm text-muted-foreground">
        You are invited as <span className="font-medium text-foreground">{ROLE_LABEL[invite.role]}</span> with the email{" "}
        <span className="font-medium text-foreground">{invite.email}</span>.
      </p>
    </div>
  );
}
