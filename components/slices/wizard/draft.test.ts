import { describe, expect, test } from "vitest";
import { ZSliceSpec } from "@/server/slices/schema";
import { draftFromSpec, draftToSpec, emptyDraft, newPort, newServiceExport, stepOf, withoutMember, type SliceSpec } from "./draft";

const spec = ZSliceSpec.parse({
  name: "payments",
  subnet: "10.10.0.0/16",
  gatewayService: { type: "NodePort", protocol: "UDP", overrides: { "cloud-1": { type: "LoadBalancer", protocol: "TCP" } } },
  qosProfile: "gold",
  serviceExports: [
    {
      name: "ledger",
      namespace: "pay",
      sourceCluster: "cloud-1",
      ports: [
        { name: "grpc", port: 9090, protocol: "TCP" },
        { port: 53, protocol: "UDP" },
      ],
      aliases: ["ledger.example", "books.example"],
    },
    { name: "cache", namespace: "pay", sourceCluster: "edge-1", ports: [{ port: 6379, protocol: "TCP" }] },
  ],
  members: ["edge-1", "cloud-1"],
}) as SliceSpec;

describe("the wizard's draft", () => {
  test("a stored spec survives the wizard unchanged: profile, gateway overrides and service exports included", () => {
    const back = ZSliceSpec.parse(draftToSpec(draftFromSpec(spec)));
    // The choice not taken is sent as null, so an update clears what was stored.
    expect(back).toEqual({ ...spec, qos: null });
  });

  test("QoS: best effort, a tenant profile or custom values; the other one is always cleared", () => {
    const d = emptyDraft();
    expect(draftToSpec(d)).toMatchObject({ qos: null, qosProfile: null });
    expect(draftToSpec({ ...d, qosMode: "profile", qosProfile: "silver" })).toMatchObject({ qos: null, qosProfile: "silver" });
    expect(
      draftToSpec({ ...d, qosMode: "custom", qosProfile: "silver", qos: { priority: "2", ceiling: "100", guaranteed: "50", dscpClass: "EF" } }),
    ).toMatchObject({
      qos: { profile: "HTB", priority: 2, bandwidthCeilingKbps: 100, bandwidthGuaranteedKbps: 50, dscpClass: "EF" },
      qosProfile: null,
    });
    expect(draftFromSpec(spec)).toMatchObject({ qosMode: "profile", qosProfile: "gold" });
    expect(
      draftFromSpec({
        ...spec,
        qosProfile: undefined,
        qos: { profile: "HTB", priority: 3, bandwidthCeilingKbps: 9, bandwidthGuaranteedKbps: 1, dscpClass: "AF11" },
      }),
    ).toMatchObject({
      qosMode: "custom",
      qos: { priority: "3", ceiling: "9", guaranteed: "1", dscpClass: "AF11" },
    });
  });

  test("service exports: typed text goes to the server as typed, so it names what is wrong", () => {
    const e = {
      ...newServiceExport("edge-1"),
      name: " web ",
      namespace: "shop",
      ports: [newPort({ port: "80" }), newPort({ port: "" }), newPort({ port: "http" })],
      aliases: "a.example, b.example  c.example,",
    };
    const out = draftToSpec({ ...emptyDraft(), name: "s", subnet: "10.10.0.0/16", members: ["edge-1"], serviceExports: [e] });
    expect(out.serviceExports).toEqual([
      {
        name: "web",
        namespace: "shop",
        sourceCluster: "edge-1",
        ports: [
          { port: 80, protocol: "TCP" },
          { port: undefined, protocol: "TCP" },
          { port: "http", protocol: "TCP" },
        ],
        aliases: ["a.example", "b.example", "c.example"],
      },
    ]);
    const problems = ZSliceSpec.safeParse(JSON.parse(JSON.stringify(out))).error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(problems).toEqual([
      "serviceExports.0.ports.1.port: serviceExports.ports.port is required",
      "serviceExports.0.ports.2.port: serviceExports.ports.port must be an integer",
    ]);
  });

  test("removing a member drops its gateway override", () => {
    expect(withoutMember(draftFromSpec(spec), "cloud-1").gatewayService.overrides).toEqual({});
  });

  test("problems go to the step that edits the field, by the longest prefix", () => {
    expect(stepOf("gatewayService.overrides.edge-1")).toBe("members");
    expect(stepOf("gatewayService.type")).toBe("basics");
    expect(stepOf("gatewayService")).toBe("basics");
    expect(stepOf("qosProfile")).toBe("qos");
    expect(stepOf("qos.priority")).toBe("qos");
    expect(stepOf("serviceExports.0.ports.1.port")).toBe("services");
    expect(stepOf("members.2")).toBe("members");
    expect(stepOf("spec")).toBe("review");
  });
});
