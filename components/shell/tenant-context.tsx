"use client";
import { createContext, useContext } from "react";
import { roleAtLeast, type Role } from "@/lib/roles";

export interface TenantInfo {
  slug: string;
  name: string;
  role: Role;
  user: { id: string; email: string; name: string | null };
}

const Ctx = createContext<TenantInfo | null>(null);

/** The tenant and the signed-in user's role in it, resolved once by the tenant layout. */
export function TenantProvider({ value, children }: { value: TenantInfo; children: React.ReactNode }) {
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useTenant(): TenantInfo & { can: (min: Role) => boolean } {
  const t = useContext(Ctx);
  if (!t) throw new Error("useTenant() outside a tenant layout");
  return { ...t, can: (min: Role) => roleAtLeast(t.role, min) };
}
