import { describe, expect, test } from "vitest";
import { sentence } from "./slice-meta";

describe("sentence: a server message as the wizard shows it", () => {
  test("a message that opens with a plain word gets its capital; the spec's dotted names read as labels", () => {
    expect(sentence("subnet 8.8.0.0/16 must lie inside a private range", "Subnet")).toBe("Subnet 8.8.0.0/16 must lie inside a private range");
    expect(sentence("must not be empty", "Source cluster")).toBe("Source cluster must not be empty");
    expect(sentence("topology.hubs: mars is not a member of the slice", "Hubs")).toBe("Hubs: mars is not a member of the slice");
  });

  test("cluster names keep their letters exactly, at the start of a message too", () => {
    const nat = "the link between edge-a1 and kiosk-b2 cannot be made: both are behind NAT";
    expect(sentence(nat, "Topology")).toBe("The link between edge-a1 and kiosk-b2 cannot be made: both are behind NAT");
    // Older messages (a KubeSlice import, another client) may open with the name itself.
    expect(sentence("edge-a1 and kiosk-b2 are both behind NAT", "Topology")).toBe("edge-a1 and kiosk-b2 are both behind NAT");
    expect(sentence('"Edge-West" is not a cluster', "Members")).toBe('"Edge-West" is not a cluster');
    expect(sentence('members entry "Edge-West" must be a DNS-1123 label', "Members")).toBe('Members entry "Edge-West" must be a DNS-1123 label');
    expect(sentence("unknown cluster: edge-a1", "Members")).toBe("Unknown cluster: edge-a1");
  });
});
