// The tenant sidebar. One flat list: to add a section, add an entry here (and its
// page under app/t/[tenant]/). `minRole` hides an entry from members whose role the
// server would refuse anyway; the page itself must still check.
import type { ComponentType, SVGProps } from "react";
import type { Role } from "@/lib/roles";
import { ActivityIcon, BookIcon, ClusterIcon, GaugeIcon, HomeIcon, KeyIcon, ScrollIcon, ShieldIcon, SlicesIcon, TicketIcon, UsersIcon } from "./icons";

export type NavGroup = "main" | "settings" | "developers";

export interface NavItem {
  label: string;
  /** Path under /t/<tenant>, "" for the overview. */
  path: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
  group: NavGroup;
  minRole?: Role;
  /** Also active on deeper paths (e.g. a detail page). Defaults to true except for "". */
  prefix?: boolean;
}

export const NAV_GROUP_LABEL: Record<NavGroup, string | null> = {
  main: null,
  settings: "Settings",
  developers: "Developers",
};

export const NAV: NavItem[] = [
  { label: "Overview", path: "", icon: HomeIcon, group: "main", prefix: false },
  { label: "Clusters", path: "/clusters", icon: ClusterIcon, group: "main" },
  { label: "Registration tokens", path: "/registration-tokens", icon: TicketIcon, group: "main", minRole: "ADMIN" },
  { label: "Slices", path: "/slices", icon: SlicesIcon, group: "main" },
  { label: "Gateways", path: "/gateways", icon: ActivityIcon, group: "main" },
  // Beside Slices: profiles only exist to be picked by slices.
  { label: "QoS profiles", path: "/qos-profiles", icon: GaugeIcon, group: "main" },
  { label: "Policies", path: "/policies", icon: ShieldIcon, group: "main" },
  { label: "Rollouts", path: "/rollouts", icon: ActivityIcon, group: "main" },
  { label: "Audit log", path: "/audit", icon: ScrollIcon, group: "main", minRole: "ADMIN" },
  { label: "Members", path: "/settings/members", icon: UsersIcon, group: "settings" },
  { label: "API tokens", path: "/settings/api-tokens", icon: KeyIcon, group: "settings", minRole: "ADMIN" },
  { label: "API docs", path: "/api-docs", icon: BookIcon, group: "developers" },
];
