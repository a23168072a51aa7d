// Human wording for audit actions; unknown actions are shown as they are.
const ACTIONS: Record<string, string> = {
  "tenant.create": "created the tenant",
  "member.invite": "invited a member",
  "member.invite.revoke": "revoked an invite",
  "member.join": "joined",
  "member.role.update": "changed a member's role",
  "member.remove": "removed a member",
  "api-token.create": "created an API token",
  "api-token.revoke": "revoked an API token",
  "user.signin.throttled": "slowed down sign-in after repeated failed passwords",
};

export function describeAction(action: string): string {
  return ACTIONS[action] ?? action;
}

export const ACTOR_TYPE_LABEL: Record<string, string> = { USER: "User", API_TOKEN: "API token", AGENT: "Agent", SYSTEM: "System" };

/** A short label for what an entry touched: a name from its diff when it has one. */
export function describeTarget(entry: { targetType: string; targetId: string | null; diff?: unknown }): string {
  const diff = (entry.diff && typeof entry.diff === "object" ? entry.diff : {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
  for (const k of ["email", "name", "slug"]) {
    const v = diff[k]?.to ?? diff[k]?.from;
    if (typeof v === "string" && v) return `${entry.targetType} ${v}`;
  }
  return entry.targetId ? `${entry.targetType} ${entry.targetId}` : entry.targetType;
}
