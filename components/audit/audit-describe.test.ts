import { describe, expect, test } from "vitest";
import { auditCsv, describeAction, describeDeed, describeEntry } from "./audit-describe";

const entry = (action: string, o: Partial<Parameters<typeof describeEntry>[0]> = {}) => ({
  action,
  actorLabel: "Alice",
  targetType: action.split(".")[0]!,
  targetId: "id1",
  diff: {},
  ...o,
});

describe("audit wording", () => {
  test("a sentence with the actor and the target's name, never the action key twice", () => {
    expect(describeEntry(entry("slice.create", { diff: { name: { to: "payments" } } }))).toBe("Alice created slice payments");
    expect(describeEntry(entry("slice.delete", { diff: { name: { from: "payments" } } }))).toBe("Alice deleted slice payments");
    expect(describeEntry(entry("registration-token.create", { diff: { name: { to: "edge sites" } } }))).toBe("Alice created registration token edge sites");
    expect(describeEntry(entry("member.invite", { targetType: "invite", diff: { email: { to: "bob@example.com" } } }))).toBe("Alice invited bob@example.com");
    // Not worded yet: still a sentence from its shape, not the key.
    expect(describeAction("rollout.rollback")).toBe("rolled back rollout");
    expect(describeAction("widget.frobnicate")).toBe("frobnicate widget");
  });

  test("the target's resolved name wins over its id when the change left the name out of the diff", () => {
    const cluster = { targetType: "cluster", targetId: "cl_123", targetName: "edge-1" };
    expect(
      describeEntry(entry("cluster.availability", { ...cluster, actorLabel: "lease", diff: { availability: { from: "AVAILABLE", to: "UNKNOWN" } } })),
    ).toBe("lease changed the availability of cluster edge-1");
    expect(describeEntry(entry("cluster.update", { ...cluster, diff: { labels: { from: {}, to: { env: "prod" } } } }))).toBe("Alice updated cluster edge-1");
    expect(describeEntry(entry("qos-profile.update", { targetId: "q_1", targetName: "gold" }))).toBe("Alice updated QoS profile gold");
    // Nothing resolved and nothing in the diff: the id, rather than nothing.
    expect(describeEntry(entry("qos-profile.update", { targetId: "q_1" }))).toBe("Alice updated QoS profile q_1");
  });

  test("worded sentences never say the noun twice", () => {
    expect(
      describeEntry(
        entry("cluster.register", { actorLabel: "agent of edge-1", targetType: "cluster", targetName: "edge-1", diff: { name: { from: null, to: "edge-1" } } }),
      ),
    ).toBe("agent of edge-1 registered the cluster edge-1");
    expect(
      describeEntry(entry("member.add", { targetType: "membership", targetName: "bob@example.com", diff: { email: { from: null, to: "bob@example.com" } } })),
    ).toBe("Alice added the member bob@example.com");
    expect(describeEntry(entry("tenant.create", { targetType: "tenant", targetName: "Acme", diff: { slug: { to: "acme" }, name: { to: "Acme" } } }))).toBe(
      "Alice created the tenant Acme",
    );
    expect(describeDeed(entry("member.join", { targetType: "membership", diff: { email: { to: "bob@example.com" } } }))).toBe("joined the tenant");
  });

  test("CSV export: a header, one row per entry with the same sentence and name, quoting and formula cells neutralised", () => {
    const csv = auditCsv([
      { ...entry("slice.create", { diff: { name: { to: "pay,ments" } } }), actorType: "USER", createdAt: "2026-12-06T10:00:00.000Z", sourceIp: "203.0.113.5" },
      {
        ...entry("cluster.update", { actorLabel: "=cmd()", targetName: "edge-1", diff: { note: { to: 'say "hi"' } } }),
        actorType: "API_TOKEN",
        createdAt: new Date("2026-12-06T11:00:00Z"),
        sourceIp: null,
      },
    ]);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,actor_type,actor,action,description,target_type,target_name,target_id,source_ip,changes");
    expect(lines[1]).toBe(
      '2026-12-06T10:00:00.000Z,USER,Alice,slice.create,"Alice created slice pay,ments",slice,"pay,ments",id1,203.0.113.5,"{""name"":{""to"":""pay,ments""}}"',
    );
    expect(lines[2]!.split(",").slice(2, 8)).toEqual(["'=cmd()", "cluster.update", "'=cmd() updated cluster edge-1", "cluster", "edge-1", "id1"]);
    expect(lines).toHaveLength(3);
  });
});
