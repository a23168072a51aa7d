import { describe, expect, test } from "vitest";
import type { Topology } from "./schema";
import { deriveLinks, linkId, linksForCluster, type GatewayLink, type TopologyMember } from "./topology";

const FULL: Topology = { kind: "FULL_MESH" };

function member(id: string, name: string, opts: { nat?: boolean; endpoints?: string[] } = {}): TopologyMember {
  return { id, name, behindNat: opts.nat ?? false, gatewayEndpoints: opts.endpoints ?? (opts.nat ? [] : [`${name}.example.net:443`]) };
}

const a = member("id-a", "alpha");
const b = member("id-b", "bravo");
const c = member("id-c", "charlie");
const d = member("id-d", "delta");

/** Unordered pairs by name, e.g. "alpha-bravo", to compare link sets. */
function pairs(links: GatewayLink[], members: TopologyMember[]): string[] {
  const name = new Map(members.map((m) => [m.id, m.name]));
  return links.map((l) => [name.get(l.serverClusterId), name.get(l.clientClusterId)].sort().join("-")).sort();
}

describe("linkId", () => {
  test("is lnk_ plus 16 hex, the same for either order of the pair", () => {
    const id = linkId("slice-1", "id-a", "id-b");
    expect(id).toMatch(/^lnk_[0-9a-f]{16}$/);
    expect(linkId("slice-1", "id-b", "id-a")).toBe(id);
    expect(linkId("slice-1", "id-a", "id-b")).toBe(id);
  });

  test("differs per slice and per pair", () => {
    const ids = new Set([linkId("s1", "a", "b"), linkId("s2", "a", "b"), linkId("s1", "a", "c"), linkId("s1", "ab", ""), linkId("s1a", "", "b")]);
    expect(ids.size).toBe(5);
  });
});

describe("full mesh", () => {
  test("links every pair once, with adjacency per member", () => {
    const members = [a, b, c, d];
    const r = deriveLinks({ sliceId: "s", topology: FULL, members });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(pairs(r.links, members)).toEqual(["alpha-bravo", "alpha-charlie", "alpha-delta", "bravo-charlie", "bravo-delta", "charlie-delta"]);
    for (const m of members) expect(r.adjacency.get(m.id)).toHaveLength(3);
    expect(r.links.map((l) => l.id)).toEqual([...r.links.map((l) => l.id)].sort());
  });

  test("between two reachable peers the smaller cluster id is the server", () => {
    const r = deriveLinks({ sliceId: "s", topology: FULL, members: [member("z-9", "aaa"), member("a-1", "zzz")] });
    expect(r.links).toEqual([{ id: linkId("s", "z-9", "a-1"), serverClusterId: "a-1", clientClusterId: "z-9", serverEndpoint: "zzz.example.net:443" }]);
  });

  test("a cluster behind NAT is always the client, even with the smaller id", () => {
    const natted = member("id-0", "edge", { nat: true, endpoints: ["10.0.0.5:51820"] });
    const r = deriveLinks({ sliceId: "s", topology: FULL, members: [natted, b] });
    expect(r.links[0]).toMatchObject({ serverClusterId: "id-b", clientClusterId: "id-0", serverEndpoint: "bravo.example.net:443" });
  });

  test("a cluster without a gateway endpoint cannot serve", () => {
    const silent = member("id-0", "quiet", { endpoints: [] });
    const r = deriveLinks({ sliceId: "s", topology: FULL, members: [silent, c] });
    expect(r.links[0]).toMatchObject({ serverClusterId: "id-c", clientClusterId: "id-0" });
  });

  test("the server endpoint is the server's first advertised endpoint", () => {
    const multi = member("id-0", "multi", { endpoints: ["203.0.113.7:443", "198.51.100.2:443"] });
    expect(deriveLinks({ sliceId: "s", topology: FULL, members: [multi, d] }).links[0].serverEndpoint).toBe("203.0.113.7:443");
  });

  test("two NATed clusters cannot be linked: the error names both and suggests hub-spoke", () => {
    const e1 = member("id-e1", "edge-1", { nat: true });
    const e2 = member("id-e2", "edge-2", { nat: true });
    const r = deriveLinks({ sliceId: "s", topology: FULL, members: [e1, e2, a] });
    expect(r.errors).toEqual([
      "the link between edge-1 and edge-2 cannot be made: both are behind NAT, so neither can accept the other's tunnel; use a hub-and-spoke topology through a hub that is not behind NAT and has a gateway endpoint",
    ]);
    // The links that can exist are still derived, for the preview.
    expect(pairs(r.links, [e1, e2, a])).toEqual(["alpha-edge-1", "alpha-edge-2"]);
    expect(r.links.every((l) => l.serverClusterId === "id-a")).toBe(true);
  });

  test("two public clusters without endpoints: the error says why neither can serve", () => {
    const q1 = member("id-q1", "quiet-1", { endpoints: [] });
    const q2 = member("id-q2", "quiet-2", { nat: true });
    const r = deriveLinks({ sliceId: "s", topology: FULL, members: [q1, q2] });
    expect(r.errors).toEqual(["no server end for the link between quiet-1 and quiet-2: quiet-1 advertises no gateway endpoint and quiet-2 is behind NAT"]);
    expect(r.links).toEqual([]);
  });

  test("fewer than two members give no links", () => {
    expect(deriveLinks({ sliceId: "s", topology: FULL, members: [a] }).links).toEqual([]);
    expect(deriveLinks({ sliceId: "s", topology: FULL, members: [] })).toEqual({ links: [], adjacency: new Map(), warnings: [], errors: [] });
  });

  test("duplicate member names or ids are errors", () => {
    const r = deriveLinks({ sliceId: "s", topology: FULL, members: [a, { ...b, name: "alpha" }, { ...c, id: "id-a" }] });
    expect(r.errors).toContain("members: cluster name alpha appears more than once");
    expect(r.errors).toContain("members: alpha and charlie are the same cluster");
    expect(r.errors.join("\n")).not.toContain("id-a");
  });
});

describe("stability", () => {
  test("a link keeps its id and roles when unrelated members join or leave", () => {
    const before = deriveLinks({ sliceId: "s", topology: FULL, members: [a, b, c] });
    const joined = deriveLinks({ sliceId: "s", topology: FULL, members: [d, c, member("id-0", "newcomer"), b, a] });
    const left = deriveLinks({ sliceId: "s", topology: FULL, members: [b, a] });
    const ab = before.links.find((l) => l.id === linkId("s", "id-a", "id-b"))!;
    expect(joined.links).toContainEqual(ab);
    expect(left.links).toEqual([ab]);
  });

  test("member order does not change the result", () => {
    const x = deriveLinks({ sliceId: "s", topology: FULL, members: [a, b, c, d] });
    const y = deriveLinks({ sliceId: "s", topology: FULL, members: [d, b, a, c] });
    expect(y.links).toEqual(x.links);
    for (const m of [a, b, c, d]) expect(y.adjacency.get(m.id)).toEqual(x.adjacency.get(m.id));
  });
});

describe("hub-spoke", () => {
  const hubs = (...names: string[]): Topology => ({ kind: "HUB_SPOKE", hubs: names });

  test("every spoke links to every hub; hubs mesh; spokes never link to each other", () => {
    const members = [a, b, c, d];
    const r = deriveLinks({ sliceId: "s", topology: hubs("charlie", "delta"), members });
    expect(r.errors).toEqual([]);
    expect(pairs(r.links, members)).toEqual(["alpha-charlie", "alpha-delta", "bravo-charlie", "bravo-delta", "charlie-delta"]);
    expect(r.adjacency.get("id-a")).toHaveLength(2);
    expect(r.adjacency.get("id-c")).toHaveLength(3);
  });

  test("the hub serves even when the spoke has the smaller id", () => {
    const r = deriveLinks({ sliceId: "s", topology: hubs("delta"), members: [a, d] });
    expect(r.links[0]).toMatchObject({ serverClusterId: "id-d", clientClusterId: "id-a" });
  });

  test("NATed spokes reach each other through a reachable hub", () => {
    const e1 = member("id-e1", "edge-1", { nat: true });
    const e2 = member("id-e2", "edge-2", { nat: true });
    const r = deriveLinks({ sliceId: "s", topology: hubs("charlie"), members: [e1, e2, c] });
    expect(r.errors).toEqual([]);
    expect(r.links.map((l) => l.serverClusterId)).toEqual(["id-c", "id-c"]);
  });

  test("reachability beats the hub role; a NATed hub with a NATed spoke is an error", () => {
    const natHub = member("id-h", "hub", { nat: true });
    const e1 = member("id-e1", "edge-1", { nat: true });
    const r = deriveLinks({ sliceId: "s", topology: hubs("hub"), members: [natHub, a, e1] });
    expect(r.links).toEqual([expect.objectContaining({ serverClusterId: "id-a", clientClusterId: "id-h" })]);
    expect(r.errors).toEqual([
      "the link between edge-1 and hub cannot be made: both are behind NAT, so neither can accept the other's tunnel; make a cluster that is not behind NAT and has a gateway endpoint a hub",
    ]);
  });

  test("an unknown hub is named", () => {
    const r = deriveLinks({ sliceId: "s", topology: hubs("mars"), members: [a, b] });
    expect(r.errors).toEqual(["topology.hubs: mars is not a member of the slice"]);
    expect(r.links).toEqual([]);
  });
});

describe("custom", () => {
  const custom = (...p: [string, string][]): Topology => ({ kind: "CUSTOM", pairs: p });

  test("links exactly the listed pairs", () => {
    const members = [a, b, c];
    const r = deriveLinks({ sliceId: "s", topology: custom(["alpha", "bravo"], ["charlie", "bravo"]), members });
    expect(r.errors).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(pairs(r.links, members)).toEqual(["alpha-bravo", "bravo-charlie"]);
  });

  test("unknown names, self-links and duplicate pairs are errors naming them", () => {
    const r = deriveLinks({
      sliceId: "s",
      topology: custom(["alpha", "mars"], ["venus", "venus"], ["bravo", "bravo"], ["alpha", "bravo"], ["bravo", "alpha"]),
      members: [a, b],
    });
    expect(r.errors).toEqual([
      "topology.pairs: [alpha, mars] names mars, not a member of the slice",
      "topology.pairs: [venus, venus] names venus, not a member of the slice",
      "topology.pairs: [bravo, bravo] links bravo to itself",
      "topology.pairs: [bravo, alpha] is listed more than once",
    ]);
    expect(r.links).toHaveLength(1);
  });

  test("a graph that leaves members apart warns with the islands", () => {
    const r = deriveLinks({ sliceId: "s", topology: custom(["bravo", "alpha"]), members: [c, a, b] });
    expect(r.warnings).toEqual(["topology.pairs does not connect every member; islands: [alpha,bravo] and [charlie]"]);
    const three = deriveLinks({ sliceId: "s", topology: custom(["alpha", "bravo"]), members: [a, b, c, d] });
    expect(three.warnings).toEqual(["topology.pairs does not connect every member; islands: [alpha,bravo], [charlie] and [delta]"]);
    const connected = deriveLinks({ sliceId: "s", topology: custom(["alpha", "bravo"], ["bravo", "charlie"], ["charlie", "delta"]), members: [a, b, c, d] });
    expect(connected.warnings).toEqual([]);
  });
});

describe("linksForCluster", () => {
  const topologies: Topology[] = [
    FULL,
    { kind: "HUB_SPOKE", hubs: ["bravo"] },
    {
      kind: "CUSTOM",
      pairs: [
        ["alpha", "charlie"],
        ["delta", "charlie"],
      ],
    },
  ];

  test.each(topologies)("matches the adjacency of deriveLinks for %o", (topology) => {
    const members = [a, b, c, d, member("id-e", "echo", { nat: true })];
    const all = deriveLinks({ sliceId: "s", topology, members });
    for (const m of members) {
      expect(linksForCluster({ sliceId: "s", topology, members }, m.id).links).toEqual(all.adjacency.get(m.id));
    }
  });

  test("reports only the errors that concern this cluster's links", () => {
    const e1 = member("id-e1", "edge-1", { nat: true });
    const e2 = member("id-e2", "edge-2", { nat: true });
    const input = { sliceId: "s", topology: FULL, members: [e1, e2, a] };
    expect(linksForCluster(input, "id-a").errors).toEqual([]);
    expect(linksForCluster(input, "id-e1").errors).toHaveLength(1);
    expect(linksForCluster(input, "nope")).toEqual({ links: [], errors: ["cluster nope is not a member of the slice"] });
  });

  test("a 200-cluster full mesh: 19,900 links, 199 per cluster", () => {
    const members = Array.from({ length: 200 }, (_, i) => member(`c${String(i).padStart(3, "0")}`, `cluster-${i}`, { nat: i % 3 === 0 }));
    const r = deriveLinks({ sliceId: "big", topology: FULL, members });
    // NATed pairs (67 NATed clusters) cannot link directly.
    expect(r.errors).toHaveLength((67 * 66) / 2);
    expect(r.links).toHaveLength(19_900 - (67 * 66) / 2);
    expect(new Set(r.links.map((l) => l.id)).size).toBe(r.links.length);
    expect(r.adjacency.get("c001")).toHaveLength(199);
    expect(linksForCluster({ sliceId: "big", topology: FULL, members }, "c001").links).toEqual(r.adjacency.get("c001"));
  });
});

describe("problems name clusters as they are named", () => {
  // A console puts a message's first letter in upper case; a cluster name there would
  // read differently from the cluster (and from what was typed in a selector).
  test("every topology problem names clusters by name, never by id, and never opens with one", () => {
    const e1 = member("id-e1", "edge-1", { nat: true });
    const e2 = member("id-e2", "edge-2", { nat: true });
    const quiet = member("id-q", "quiet", { endpoints: [] });
    const cases = [
      deriveLinks({ sliceId: "s", topology: FULL, members: [e1, e2, quiet, a] }),
      deriveLinks({ sliceId: "s", topology: { kind: "HUB_SPOKE", hubs: ["edge-1", "mars"] }, members: [e1, e2, quiet] }),
      deriveLinks({
        sliceId: "s",
        topology: {
          kind: "CUSTOM",
          pairs: [
            ["edge-1", "edge-2"],
            ["quiet", "quiet"],
            ["alpha", "mars"],
          ],
        },
        members: [e1, e2, quiet, a],
      }),
      deriveLinks({ sliceId: "s", topology: FULL, members: [a, { ...b, name: "alpha" }, { ...c, id: "id-a" }] }),
    ];
    const errors = cases.flatMap((r) => r.errors);
    expect(errors.length).toBeGreaterThan(6);
    const names = ["edge-1", "edge-2", "quiet", "alpha", "bravo", "charlie", "mars"];
    for (const message of errors) {
      expect(message, message).not.toMatch(/\bid-[a-z0-9]+\b/);
      expect(
        names.some((n) => message.startsWith(n)),
        message,
      ).toBe(false);
    }
    expect(errors).toContain(
      "the link between edge-1 and edge-2 cannot be made: both are behind NAT, so neither can accept the other's tunnel; use a hub-and-spoke topology through a hub that is not behind NAT and has a gateway endpoint",
    );
  });
});
