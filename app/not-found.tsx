import Link from "next/link";
import { AuthFrame } from "@/components/shell/auth-frame";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <AuthFrame>
      <div className="flex flex-col items-center gap-3 text-center">
        <p className="font-mono text-sm text-muted-foreground">404</p>
        <h1 className="text-xl font-semibold tracking-tight">Page not found</h1>
        <p className="text-sm text-muted-foreground">This page does not exist, or you are not a member of the tenant it belongs to.</p>
        <Link href="/" className={buttonClass("secondary", "md", "mt-2")}>
          Go to your console
        </Link>
      </div>
    </AuthFrame>
  );
}
