import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthFrame } from "@/components/shell/auth-frame";
import { UserMenu } from "@/components/shell/user-menu";
import { CreateTenantForm } from "@/components/tenants/create-tenant-form";
import { Card } from "@/components/ui/card";
import { currentUser } from "@/server/auth/session";
import { listUserTenants } from "@/server/tenants/list-user-tenants";

export const metadata: Metadata = { title: "Create a tenant" };

export default async function NewTenantPage() {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent("/t/new")}`);
  const tenants = await listUserTenants(user.id);
  return (
    <AuthFrame aside={<UserMenu user={user} compact />}>
      <div className="mb-6 flex flex-col gap-1.5 text-center">
        <h1 className="text-xl font-semibold tracking-tight">{tenants.length ? "Create a tenant" : "Create your first tenant"}</h1>
        <p className="text-sm text-muted-foreground">A tenant holds an organisation&apos;s clusters, slices, members and tokens. You will be its owner.</p>
      </div>
      <Card className="p-6">
        <CreateTenantForm />
      </Card>
      {tenants[0] ? (
        <p className="mt-6 text-center text-[13px] text-muted-foreground">
          Or go back to{" "}
          <Link href={`/t/${tenants[0].slug}`} className="font-medium text-foreground underline-offset-4 hover:underline">
            {tenants[0].name}
          </Link>
        </p>
      ) : null}
    </AuthFrame>
  );
}
