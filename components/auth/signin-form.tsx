"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { Input } from "../ui/input";

export function SignInForm({
  callbackUrl,
  oidcName,
  initialError,
  initialEmail,
}: {
  callbackUrl?: string;
  oidcName: string | null;
  initialError?: string;
  initialEmail?: string;
}) {
  const router = useRouter();
  const [email, setEmail] = useState(initialEmail ?? "");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<{ email?: string; password?: string }>({});
  const [formError, setFormError] = useState<string | undefined>(initialError);
  const [pending, setPending] = useState(false);
  const target = safeCallbackPath(callbackUrl);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    if (!email.trim()) next.email = "Email is required";
    else if (!/^\S+@\S+\.\S+$/.test(email.trim())) next.email = "Email must be an email address such as ops@example.com";
    if (!password) next.password = "Password is required";
    setErrors(next);
    setFormError(undefined);
    if (next.email || next.password) return;
    setPending(true);
    try {
      const res = await signIn("credentials", { redirect: false, email: email.trim(), password, callbackUrl: target });
      if (!res || res.error || !res.ok) {
        // The server's own words: "Wrong email or password.", "Too many failed sign-ins…".
        setFormError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Wrong email or password.");
        setPending(false);
        return;
      }
      router.replace(target);
      router.refresh();
    } catch {
      setFormError("Could not reach the server. Check your connection and try again.");
      setPending(false);
    }
  }

  return (
    <div className="flex flex-col gap-5">
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-4">
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <Field label="Email" error={errors.email}>
          <Input
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="you@example.com"
          />
        </Field>
        <Field label="Password" error={errors.password}>
          <Input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        <Button type="submit" size="lg" loading={pending} className="mt-1 w-full">
          Sign in
        </Button>
      </form>
      {oidcName ? (
        <>
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span className="h-px flex-1 bg-border" />
            or
            <span className="h-px flex-1 bg-border" />
          </div>
          <Button variant="secondary" size="lg" className="w-full" onClick={() => void signIn("oidc", { callbackUrl: target })}>
            Continue with {oidcName}
          </Button>
        </>
      ) : null}
    </div>
  );
}
