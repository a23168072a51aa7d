import { redirect } from "next/navigation";
import { currentUser } from "@/server/auth/session";
import { listUserTenants } from "@/server/tenants/list-user-tenants";

// The console's front door: the first tenant, creating one, or signing in.
export default async function Home() {
  const user = await currentUser();
  if (!user) redirect("/signin");
  const tenants = await listUserTenants(user.id);
  redirect(tenants[0] ? `/t/${tenants[0].slug}` : "/t/new");
}
