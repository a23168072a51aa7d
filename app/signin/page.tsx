import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/signin-form";
import { AuthFrame } from "@/components/shell/auth-frame";
import { Card } from "@/components/ui/card";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { authOptions } from "@/server/auth/next-auth";
import { currentUser } from "@/server/auth/session";
import { env } from "@/server/platform/env";

export const metadata: Metadata = { title: "Sign in" };

// next-auth sends its own error codes to this page (pages.error = /signin).
const AUTH_ERRORS: Record<string, string> = {
  OAuthSignin: "Could not start single sign-on. Try again.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  OAuthCreateAccount: "Could not create your account from single sign-on.",
  OAuthAccountNotLinked: "This email is already linked to another sign-in method.",
  Callback: "Sign-in did not complete. Try again.",
  AccessDenied: "Access denied.",
  Configuration: "Sign-in is misconfigured on the server. Ask your administrator.",
  SessionRequired: "Sign in to continue.",
  CredentialsSignin: "Wrong email or password.",
  Default: "Could not sign in. Try again.",
};

function authErrorMessage(code: string | undefined) {
  if (!code) return undefined;
  if (AUTH_ERRORS[code]) return AUTH_ERRORS[code];
  // A thrown authorize() error arrives as its message ("Too many failed sign-ins…").
  return /\s/.test(code) ? code.slice(0, 200) : AUTH_ERRORS.Default;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string; email?: string }> }) {
  const sp = await searchParams;
  const callbackUrl = typeof sp.callbackUrl === "string" ? sp.callbackUrl : undefined;
  if (await currentUser()) redirect(safeCallbackPath(callbackUrl));
  const oidc = authOptions().providers.some((p) => p.id === "oidc");
  return (
    <AuthFrame>
      <div className="mb-6 flex flex-col gap-1.5 text-center">
        <h1 className="text-xl font-semibold tracking-tight">Sign in to Isthmus</h1>
        <p className="text-sm text-muted-foreground">Your clusters, slices and policies in one place.</p>
      </div>
      <Card className="p-6">
        <SignInForm
          callbackUrl={callbackUrl}
          oidcName={oidc ? env().OIDC_NAME : null}
          initialError={authErrorMessage(sp.error)}
          initialEmail={typeof sp.email === "string" ? sp.email : undefined}
        />
      </Card>
      <p className="mt-6 text-center text-[13px] text-muted-foreground">No account? Ask an admin of your organisation for an invite link.</p>
    </AuthFrame>
  );
}
