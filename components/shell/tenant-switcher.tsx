"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ROLE_LABEL, type Role } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc";
import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from "../icons";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator, DropdownMenuTrigger } from "../ui/dropdown-menu";

export interface TenantRef {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

function TenantMark({ name }: { name: string }) {
  return (
    <span aria-hidden="true" className="flex size-6 shrink-0 items-center justify-center rounded-md bg-foreground text-[11px] font-semibold text-background">
      {name.trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}

/** Lists the caller's tenants (me.get) and links to creating one. */
export function TenantSwitcher({ current, initialTenants }: { current: { slug: string; name: string; role: Role }; initialTenants: TenantRef[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery({ ...trpc.me.get.queryOptions(), staleTime: 60_000 });
  const tenants = me.data?.tenants ?? initialTenants;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label={`Tenant: ${current.name}. Switch tenant`}
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-1.5 text-left transition-colors hover:bg-surface-2 data-[state=open]:bg-surface-2"
      >
        <TenantMark name={current.name} />
        <span className="flex min-w-0 flex-1 flex-col leading-tight">
          <span className="truncate text-[13px] font-semibold">{current.name}</span>
          <span className="truncate text-xs text-muted-foreground">{ROLE_LABEL[current.role]}</span>
        </span>
        <ChevronsUpDownIcon className="size-3.5 text-muted-foreground" />
      </DropdownMenuTrigger>
      <DropdownMenuContent className="w-64">
        <DropdownMenuLabel>Tenants</DropdownMenuLabel>
        {tenants.map((t) => (
          <DropdownMenuItem key={t.id} onSelect={() => router.push(`/t/${t.slug}`)}>
            <TenantMark name={t.name} />
            <span className="flex min-w-0 flex-1 flex-col leading-tight">
              <span className="truncate">{t.name}</span>
              <span className="truncate text-xs text-muted-foreground">{t.slug}</span>
            </span>
            {t.slug === current.slug ? <CheckIcon className="text-accent!" /> : null}
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/t/new">
            <PlusIcon />
            Create tenant
          </Link>
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
