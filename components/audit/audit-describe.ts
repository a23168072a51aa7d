// Human wording for audit entries: "Alice created slice payments". Actions nobody has
// worded yet still read as a sentence, from their "<kind>.<verb>" shape. A worded
// phrase ends where the target's name goes, and says the noun itself when it needs
// one ("registered the cluster edge-1", "invited bob@example.com"), so a name is
// never preceded by the noun twice.
const SENTENCES: Record<string, string> = {
  "tenant.create": "created the tenant",
  "tenant.update": "changed the settings of tenant",
  "member.invite": "invited",
  "member.invite.revoke": "revoked the invite of",
  "member.join": "joined the tenant",
  "member.add": "added the member",
  "member.role.update": "changed the role of",
  "member.remove": "removed the member",
  "user.signin.throttled": "slowed down sign-in after repeated failed passwords for",
  "cluster.register": "registered the cluster",
  "cluster.re-register": "re-registered the cluster",
  "cluster.enrol-refused": "refused an enrolment with registration token",
  "cluster.credential-rotate": "rotated the agent credential of cluster",
  "cluster.availability": "changed the availability of cluster",
  "slice.posture": "changed the isolation posture of slice",
  "rollout.defaults": "changed the rollout defaults of tenant",
};
// Phrases complete without a target: the one who joined is the actor already.
const WHOLE = new Set(["member.join"]);

const VERBS: Record<string, string> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  revoke: "revoked",
  register: "registered",
  add: "added",
  remove: "removed",
  publish: "published",
  rollback: "rolled back",
  import: "imported",
  acknowledge: "acknowledged",
  test: "tested",
};

const NOUNS: Record<string, string> = {
  "api-token": "API token",
  "registration-token": "registration token",
  "qos-profile": "QoS profile",
  cluster: "cluster",
  slice: "slice",
  policy: "policy",
  member: "member",
  membership: "member",
  tenant: "tenant",
  rollout: "rollout",
  user: "user",
};

const noun = (kind: string) => NOUNS[kind] ?? kind.replace(/-/g, " ");

/** The verb phrase of an action, without actor or target: "created slice". */
export function describeAction(action: string): string {
  if (SENTENCES[action]) return SENTENCES[action];
  const cut = action.lastIndexOf(".");
  const [kind, verb] = cut < 0 ? [action, ""] : [action.slice(0, cut), action.slice(cut + 1)];
  return VERBS[verb] ? `${VERBS[verb]} ${noun(kind)}` : `${verb || "did"} ${noun(kind)}`.trim();
}

export const ACTOR_TYPE_LABEL: Record<string, string> = { USER: "User", API_TOKEN: "API token", AGENT: "Agent", SYSTEM: "System" };

type AuditEntry = {
  action: string;
  actorLabel: string;
  actorType?: string;
  targetType: string;
  targetId: string | null;
  /** The target's name as the audit listing resolved it (today's name, else the recorded one). */
  targetName?: string | null;
  diff?: unknown;
};

/** The name an entry's diff gives its target (email, name, slug or token, after or before), if any. */
function diffName(entry: AuditEntry): string | null {
  const diff = (entry.diff && typeof entry.diff === "object" ? entry.diff : {}) as Record<string, { from?: unknown; to?: unknown } | undefined>;
  for (const k of ["email", "name", "slug", "token"]) {
    const v = diff[k]?.to ?? diff[k]?.from;
    if (typeof v === "string" && v) return v;
  }
  return null;
}

/** What to call the target: its resolved name, else the one in its diff, else its id. */
const nameOf = (entry: AuditEntry) => entry.targetName || diffName(entry) || entry.targetId;

/** A short label for what an entry touched: "cluster edge-1". */
export function describeTarget(entry: AuditEntry): string {
  const name = nameOf(entry);
  return name ? `${noun(entry.targetType)} ${name}` : noun(entry.targetType);
}

/** The entry without its actor: "created slice payments", "registered the cluster edge-1". */
export function describeDeed(entry: AuditEntry): string {
  const name = WHOLE.has(entry.action) ? null : nameOf(entry);
  return name ? `${describeAction(entry.action)} ${name}` : describeAction(entry.action);
}

/** The whole entry as a sentence: "Alice created slice payments". */
export function describeEntry(entry: AuditEntry): string {
  return `${entry.actorLabel} ${describeDeed(entry)}`;
}

// A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed with '.
const cell = (v: unknown): string => {
  let s = v === null || v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The entries as CSV (RFC 4180), one row each, the sentence beside the raw action. */
export function auditCsv(entries: Array<AuditEntry & { createdAt: string | Date; sourceIp: string | null }>): string {
  const header = ["time", "actor_type", "actor", "action", "description", "target_type", "target_name", "target_id", "source_ip", "changes"];
  const rows = entries.map((e) =>
    [
      new Date(e.createdAt).toISOString(),
      e.actorType ?? "",
      e.actorLabel,
      e.action,
      describeEntry(e),
      e.targetType,
      nameOf(e),
      e.targetId,
      e.sourceIp,
      e.diff ?? null,
    ]
      .map(cell)
      .join(","),
  );
  return [header.join(","), ...rows].join("\r\n") + "\r\n";
}
