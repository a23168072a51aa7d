import { describe, expect, test } from "vitest";
import { ZCreateQosProfileInput, ZUpdateQosProfileInput } from "./schema";

const gold = { name: "gold", priority: 1, bandwidthCeilingKbps: 5120, bandwidthGuaranteedKbps: 2560, dscpClass: "AF11" };

function messages(schema: typeof ZCreateQosProfileInput | typeof ZUpdateQosProfileInput, input: unknown): Record<string, string[]> {
  const r = schema.safeParse(input);
  const out: Record<string, string[]> = {};
  for (const i of r.error?.issues ?? []) (out[i.path.join(".")] ??= []).push(i.message);
  return out;
}

describe("a QoS profile's fields", () => {
  test("the slice QoS rules, each message naming the profile's own field", () => {
    expect(ZCreateQosProfileInput.parse({ ...gold, description: "card payments" })).toEqual({ ...gold, description: "card payments" });
    expect(messages(ZCreateQosProfileInput, { ...gold, priority: 8 })).toEqual({ priority: ["priority must be at most 7"] });
    expect(messages(ZCreateQosProfileInput, { ...gold, bandwidthCeilingKbps: 0, bandwidthGuaranteedKbps: 0 })).toEqual({
      bandwidthCeilingKbps: ["bandwidthCeilingKbps must be at least 1"],
    });
    expect(messages(ZCreateQosProfileInput, { ...gold, bandwidthGuaranteedKbps: 1.5 })).toEqual({
      bandwidthGuaranteedKbps: ["bandwidthGuaranteedKbps must be an integer"],
    });
    expect(messages(ZCreateQosProfileInput, { ...gold, bandwidthGuaranteedKbps: 9000 })).toEqual({
      bandwidthGuaranteedKbps: ["bandwidthGuaranteedKbps must not exceed bandwidthCeilingKbps"],
    });
    expect(messages(ZCreateQosProfileInput, { ...gold, dscpClass: "AF44" }).dscpClass![0]).toMatch(/^dscpClass must be one of Default, AF11, .*, EF$/);
    expect(messages(ZCreateQosProfileInput, { name: "gold" })).toEqual({
      priority: ["priority is required"],
      bandwidthCeilingKbps: ["bandwidthCeilingKbps is required"],
      bandwidthGuaranteedKbps: ["bandwidthGuaranteedKbps is required"],
      dscpClass: ["dscpClass is required"],
    });
  });

  test("the name is a DNS-1123 label, as KubeSlice's standardQosProfileName refers to it", () => {
    expect(messages(ZCreateQosProfileInput, { ...gold, name: "Gold" }).name![0]).toMatch(/^name must be a DNS-1123 label/);
    expect(messages(ZCreateQosProfileInput, { ...gold, name: "g".repeat(64) }).name).toContain("name must be at most 63 characters");
    expect(messages(ZCreateQosProfileInput, { ...gold, description: "x".repeat(501) })).toEqual({
      description: ["description must be at most 500 characters"],
    });
  });

  test("an update takes any subset of the fields; null clears the description", () => {
    expect(ZUpdateQosProfileInput.parse({ priority: 3 })).toEqual({ priority: 3 });
    expect(ZUpdateQosProfileInput.parse({ description: null })).toEqual({ description: null });
    expect(messages(ZUpdateQosProfileInput, { priority: 9, dscpClass: "XX" })).toMatchObject({
      priority: ["priority must be at most 7"],
      dscpClass: [expect.stringMatching(/^dscpClass must be one of/)],
    });
  });
});
