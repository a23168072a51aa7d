// Role ranks for the console: the server's own pure module, so the console hides exactly
// what the server would refuse.
import { ROLES, roleAtLeast, type Role } from "@/server/platform/roles";

export { ROLES, roleAtLeast, type Role };

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
