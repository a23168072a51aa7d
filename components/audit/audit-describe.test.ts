import { describe, expect, test } from "vitest";
import { auditCsv, describeAction, describeEntry } from "./audit-describe";

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
    expect(describeEntry(entry("member.invite", { targetType: "member", diff: { email: { to: "bob@example.com" } } }))).toBe(
      "Alice invited member bob@example.com",
    );
    expect(describeEntry(entry("qos-profile.update", { targetId: "q_1" }))).toBe("Alice updated QoS profile q_1");
    // Not worded yet: still a sentence from its shape, not the key.
    expect(describeAction("rollout.rollback")).toBe("rolled back rollout");
    expect(describeAction("widget.frobnicate")).toBe("frobnicate widget");
  });

  test("CSV export: a header, one row per entry, quoting and formula cells neutralised", () => {
    const csv = auditCsv([
      { ...entry("slice.create", { diff: { name: { to: "pay,ments" } } }), actorType: "USER", createdAt: "2026-12-06T10:00:00.000Z", sourceIp: "203.0.113.5" },
      {
        ...entry("cluster.update", { actorLabel: "=cmd()", diff: { note: { to: 'say "hi"' } } }),
        actorType: "API_TOKEN",
        createdAt: new Date("2026-12-06T11:00:00Z"),
        sourceIp: null,
      },
    ]);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("time,actor_type,actor,action,description,target_type,target_id,source_ip,changes");
    expect(lines[1]).toBe(
      '2026-12-06T10:00:00.000Z,USER,Alice,slice.create,"Alice created slice pay,ments",slice,id1,203.0.113.5,"{""name"":{""to"":""pay,ments""}}"',
    );
    expect(lines[2]!.split(",")[2]).toBe("'=cmd()");
    expect(lines).toHaveLength(3);
  });
});
