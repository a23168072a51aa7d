import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeFieldErrors, fieldErrorsOf, issueField } from "./zod-issues";

const ZInput = z
  .object({
    name: z
      .string()
      .min(3, "at least 3 characters")
      .regex(/^[a-z]+$/, "lower-case letters only"),
    members: z.array(z.string().min(1, "must not be empty")),
    qos: z.object({ priority: z.number().int().max(7, "at most 7") }),
  })
  .refine((v) => v.members.length < 3, "at most 2 members");

describe("zod issues as field errors", () => {
  it("joins nested paths with dots and groups every rule a field breaks", () => {
    const r = ZInput.safeParse({ name: "A", members: ["x", ""], qos: { priority: 9 } });
    expect(r.success).toBe(false);
    expect(fieldErrorsOf(r.error!.issues, "input")).toEqual({
      name: ["at least 3 characters", "lower-case letters only"],
      "members.1": ["must not be empty"],
      "qos.priority": ["at most 7"],
    });
  });

  it("files an issue about the whole value under the caller's root name", () => {
    const r = ZInput.safeParse({ name: "abc", members: ["a", "b", "c"], qos: { priority: 1 } });
    expect(fieldErrorsOf(r.error!.issues, "spec")).toEqual({ spec: ["at most 2 members"] });
    expect(issueField([], "input")).toBe("input");
    expect(issueField(["spec", "qos", 0], "spec")).toBe("spec.qos.0");
  });

  it("describes the errors one field a line", () => {
    expect(describeFieldErrors({ name: ["a", "b"], "qos.priority": ["c"] })).toBe("name: a; b\nqos.priority: c");
  });
});
