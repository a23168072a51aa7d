import type { Metadata } from "next";
import Link from "next/link";
import { AcceptInvite, InviteHeading } from "@/components/invite/accept-invite";
import { AlertIcon } from "@/components/icons";
import { AuthFrame } from "@/components/shell/auth-frame";
import { buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/server/auth/session";
import { AppError } from "@/server/platform/errors";
import { describeInvite } from "@/server/members/accept-invite";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };

function decodeToken(raw: string) {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const token = decodeToken((await params).token);
  const user = await currentUser();
  let invite: Awaited<ReturnType<typeof describeInvite>> | null = null;
  let problem: string | null = null;
  try {
    invite = await describeInvite(token);
  } catch (err) {
    // Not valid, revoked, used or expired: the service's message says which.
    if (err instanceof AppError) problem = err.message;
    else throw err;
  }

  if (!invite) {
    return (
      <AuthFrame>
        <Card className="flex flex-col items-center gap-3 p-8 text-center">
          <span className="flex size-10 items-center justify-center rounded-full bg-danger-subtle text-danger-subtle-foreground">
            <AlertIcon className="size-5" />
          </span>
          <h1 className="text-lg font-semibold tracking-tight">This invite cannot be used</h1>
          <p role="alert" className="text-sm text-muted-foreground">
            {problem}
          </p>
          <p className="text-[13px] text-muted-foreground">Ask the person who invited you for a new link.</p>
          <Link href="/" className={buttonClass("secondary", "md", "mt-2")}>
            Go to Isthmus
          </Link>
        </Card>
      </AuthFrame>
    );
  }

  const summary = { tenantName: invite.tenantName, tenantSlug: invite.tenantSlug, email: invite.email, role: invite.role, hasAccount: invite.hasAccount };
  return (
    <AuthFrame>
      <InviteHeading invite={summary} />
      <Card className="p-6">
        <AcceptInvite token={token} invite={summary} signedInAs={user?.email ?? null} />
      </Card>
    </AuthFrame>
  );
}
