"use client";
import { signOut } from "next-auth/react";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc";
import { applyTheme, readTheme, type ThemeChoice } from "@/lib/theme";
import { ChevronsUpDownIcon, LogOutIcon } from "../icons";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "../ui/dropdown-menu";

export function initials(name: string | null, email: string) {
  const src = name?.trim() || email;
  const parts = src.split(/[\s@._-]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (name && parts[1] ? parts[1][0] : "")).toUpperCase();
}

export function Avatar({ name, email, className }: { name: string | null; email: string; className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cn(
        "flex size-7 shrink-0 items-center justify-center rounded-full bg-accent-subtle text-[11px] font-semibold text-accent-subtle-foreground",
        className,
      )}
    >
      {initials(name, email)}
    </span>
  );
}

export function UserMenu({ user, compact }: { user: { email: string; name: string | null }; compact?: boolean }) {
  const [theme, setTheme] = useState<ThemeChoice>("system");
  const trpc = useTRPC();
  const signOutEverywhere = useMutation(trpc.me.signOutEverywhere.mutationOptions());
  useEffect(() => setTheme(readTheme()), []);
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        aria-label="Account menu"
        className={cn(
          "flex items-center gap-2.5 rounded-lg text-left transition-colors hover:bg-surface-2 data-[state=open]:bg-surface-2",
          compact ? "p-1" : "w-full px-2 py-1.5",
        )}
      >
        <Avatar name={user.name} email={user.email} />
        {compact ? null : (
          <>
            <span className="flex min-w-0 flex-1 flex-col leading-tight">
              <span className="truncate text-[13px] font-medium">{user.name || user.email}</span>
              {user.name ? <span className="truncate text-xs text-muted-foreground">{user.email}</span> : null}
            </span>
            <ChevronsUpDownIcon className="size-3.5 text-muted-foreground" />
          </>
        )}
      </DropdownMenuTrigger>
      <DropdownMenuContent align={compact ? "end" : "start"} side={compact ? "bottom" : "top"} className="w-60">
        <DropdownMenuLabel className="truncate">Signed in as {user.email}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuLabel>Theme</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={theme}
          onValueChange={(v) => {
            setTheme(v as ThemeChoice);
            applyTheme(v as ThemeChoice);
          }}
        >
          <DropdownMenuRadioItem value="light">Light</DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="dark">Dark</DropdownMenuRadioItem>
          <DropdownMenuRadioItem value="system">System</DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOut({ callbackUrl: "/signin" })}>
          <LogOutIcon />
          Sign out
        </DropdownMenuItem>
        <DropdownMenuItem
          onSelect={() => {
            // Every other browser's session ends on the server; then this one signs out too.
            void signOutEverywhere.mutateAsync().finally(() => void signOut({ callbackUrl: "/signin" }));
          }}
        >
          <LogOutIcon />
          Sign out everywhere
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
