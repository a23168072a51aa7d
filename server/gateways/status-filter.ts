import type { Prisma } from "../platform/db/generated/client";
import type { LinkStatusFilter } from "./schema";

/** The links of a status filter. A link not yet evaluated counts as UNKNOWN, so also as NOT_UP. */
export function statusWhere(status: LinkStatusFilter): Prisma.GatewayLinkWhereInput {
  if (status === "NOT_UP") return { OR: [{ health: null }, { health: { status: { not: "UP" } } }] };
  if (status === "UNKNOWN") return { OR: [{ health: null }, { health: { status: "UNKNOWN" } }] };
  return { health: { status } };
}
