import Link from "next/link";
import { LogoMark } from "../icons";
import { ThemeSwitch } from "./theme-menu";

/** The centred frame of pages outside a tenant: sign-in, invites, creating a tenant. */
export function AuthFrame({ children, aside }: { children: React.ReactNode; aside?: React.ReactNode }) {
  return (
    <div className="relative flex min-h-dvh flex-col">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 top-0 h-72 bg-[radial-gradient(ellipse_60%_100%_at_50%_0%,var(--accent-subtle),transparent)] opacity-70"
      />
      <header className="relative flex items-center justify-between px-5 py-4">
        <Link href="/" className="flex items-center gap-2 rounded-md text-sm font-semibold tracking-tight">
          <LogoMark />
          Isthmus
        </Link>
        <div className="flex items-center gap-3">
          {aside}
          <ThemeSwitch />
        </div>
      </header>
      <main className="relative flex flex-1 items-start justify-center px-4 pt-[8vh] pb-16">
        <div className="w-full max-w-sm">{children}</div>
      </main>
    </div>
  );
}
