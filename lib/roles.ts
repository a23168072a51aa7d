// Role ranks for the console. The server decides every permission; the console only
// hides what the server would refuse, so the two must agree on this order.
import type { Role } from "@/server/auth/roles";

export type { Role };
export const ROLES: readonly Role[] = ["OWNER", "ADMIN", "OPERATOR", "VIEWER"];

const RANK: Record<Role, number> = { OWNER: 4, ADMIN: 3, OPERATOR: 2, VIEWER: 1 };

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** Roles someone with `role` may hand out (to a member, an invite or a token). */
export function grantableRoles(role: Role): Role[] {
  return ROLES.filter((r) => roleAtLeast(role, r) && (r !== "OWNER" || role === "OWNER"));
}

export const ROLE_LABEL: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", OPERATOR: "Operator", VIEWER: "Viewer" };

export const ROLE_HINT: Record<Role, string> = {
  OWNER: "Everything, including owners and deleting the tenant",
  ADMIN: "Manage members, tokens and all resources",
  OPERATOR: "Change clusters, slices and policies",
  VIEWER: "Read-only access",
};
