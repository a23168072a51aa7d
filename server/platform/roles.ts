import { AppError } from "./errors";

export const ROLES = ["OWNER", "ADMIN", "OPERATOR", "VIEWER"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { OWNER: 4, ADMIN: 3, OPERATOR: 2, VIEWER: 1 };

export function roleAtLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

/** Throws FORBIDDEN unless `role` is `min` or higher. */
export function requireRole(ctx: { role: Role }, min: Role): void {
  if (!roleAtLeast(ctx.role, min)) {
    throw new AppError("FORBIDDEN", `this needs the ${min} role or higher; you are ${ctx.role}`);
  }
}
