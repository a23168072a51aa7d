// Who is acting, on which tenant. Every service takes this explicitly, so the console,
// REST, the CLI, workers and tests call the very same functions.
import type { Role } from "./roles";

export type Actor =
  | { type: "USER"; id: string; label: string; sourceIp?: string | null }
  | { type: "API_TOKEN"; id: string; label: string; sourceIp?: string | null }
  | { type: "AGENT"; id: string; label: string; sourceIp?: string | null }
  | { type: "SYSTEM"; id?: null; label: string; sourceIp?: string | null };

export interface TenantContext {
  tenantId: string;
  tenantSlug: string;
  role: Role;
  actor: Actor;
}

export const systemActor = (label: string): Actor => ({ type: "SYSTEM", label });
