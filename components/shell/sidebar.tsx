"use client";
import * as DialogPrimitive from "@radix-ui/react-dialog";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { roleAtLeast } from "@/lib/roles";
import { LogoMark, MenuIcon, XIcon } from "../icons";
import { NAV, NAV_GROUP_LABEL, type NavGroup } from "../nav";
import { useTenant } from "./tenant-context";
import { TenantSwitcher, type TenantRef } from "./tenant-switcher";
import { UserMenu } from "./user-menu";

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const { slug, role } = useTenant();
  const pathname = usePathname();
  const base = `/t/${slug}`;
  const items = NAV.filter((i) => !i.minRole || roleAtLeast(role, i.minRole));
  const groups = (Object.keys(NAV_GROUP_LABEL) as NavGroup[]).map((g) => ({ g, items: items.filter((i) => i.group === g) })).filter((x) => x.items.length);
  return (
    <nav aria-label="Tenant" className="flex flex-col gap-5">
      {groups.map(({ g, items }) => (
        <div key={g} className="flex flex-col gap-0.5">
          {NAV_GROUP_LABEL[g] ? <p className="px-2 pb-1 text-[11px] font-medium tracking-wide text-muted-foreground uppercase">{NAV_GROUP_LABEL[g]}</p> : null}
          {items.map((item) => {
            const href = base + item.path;
            const prefix = item.prefix ?? item.path !== "";
            const active = pathname === href || (prefix && pathname.startsWith(href + "/"));
            const Icon = item.icon;
            return (
              <Link
                key={item.path}
                href={href}
                onClick={onNavigate}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "flex h-8 items-center gap-2.5 rounded-md px-2 text-[13px] font-medium transition-colors",
                  active
                    ? "bg-surface-2 text-foreground shadow-[inset_0_0_0_1px_var(--border)]"
                    : "text-muted-foreground hover:bg-surface-2 hover:text-foreground",
                )}
              >
                <Icon className={cn("size-4", active ? "text-accent" : "")} />
                {item.label}
              </Link>
            );
          })}
        </div>
      ))}
    </nav>
  );
}

function SidebarContents({ tenants, onNavigate }: { tenants: TenantRef[]; onNavigate?: () => void }) {
  const t = useTenant();
  return (
    <div className="flex h-full flex-col gap-4 p-3">
      <div className="flex items-center gap-2 px-2 pt-1">
        <LogoMark />
        <span className="text-sm font-semibold tracking-tight">Isthmus</span>
      </div>
      <TenantSwitcher current={{ slug: t.slug, name: t.name, role: t.role }} initialTenants={tenants} />
      <div className="flex-1 overflow-y-auto">
        <NavLinks onNavigate={onNavigate} />
      </div>
      <div className="border-t border-border pt-3">
        <UserMenu user={t.user} />
      </div>
    </div>
  );
}

/** Fixed sidebar on wide screens; a top bar with a slide-in drawer on small ones. */
export function Sidebar({ tenants }: { tenants: TenantRef[] }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const t = useTenant();
  useEffect(() => setOpen(false), [pathname]);
  return (
    <>
      <aside className="sticky top-0 hidden h-dvh w-60 shrink-0 border-r border-border bg-surface md:block">
        <SidebarContents tenants={tenants} />
      </aside>
      <div className="sticky top-0 z-30 flex h-12 items-center gap-2 border-b border-border bg-surface/90 px-3 backdrop-blur md:hidden">
        <DialogPrimitive.Root open={open} onOpenChange={setOpen}>
          <DialogPrimitive.Trigger className="rounded-md p-1.5 text-muted-foreground hover:bg-surface-2 hover:text-foreground" aria-label="Open navigation">
            <MenuIcon className="size-5" />
          </DialogPrimitive.Trigger>
          <DialogPrimitive.Portal>
            <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-black/40 data-[state=open]:animate-fade-in" />
            <DialogPrimitive.Content className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] border-r border-border bg-surface shadow-overlay">
              <DialogPrimitive.Title className="sr-only">Navigation</DialogPrimitive.Title>
              <DialogPrimitive.Description className="sr-only">Sections of {t.name}</DialogPrimitive.Description>
              <SidebarContents tenants={tenants} onNavigate={() => setOpen(false)} />
              <DialogPrimitive.Close className="absolute top-3 right-3 rounded-md p-1 text-muted-foreground hover:bg-surface-2" aria-label="Close navigation">
                <XIcon />
              </DialogPrimitive.Close>
            </DialogPrimitive.Content>
          </DialogPrimitive.Portal>
        </DialogPrimitive.Root>
        <LogoMark />
        <span className="truncate text-sm font-semibold">{t.name}</span>
      </div>
    </>
  );
}
