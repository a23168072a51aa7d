import { describe, expect, it } from "vitest";
import { flagValue, guessCni, providerFromProviderId, splitCidrs, summarizeCidrs } from "./targets/kube-inventory";
import { bundleLinks, parseEndpoint } from "./bundle";

describe("kube inventory helpers", () => {
  it("guesses the CNI from kube-system pod names", () => {
    expect(guessCni(["coredns-1", "cilium-abcde", "kube-proxy-x"])).toBe("cilium");
    expect(guessCni(["calico-node-x", "calico-kube-controllers-y"])).toBe("calico");
    expect(guessCni(["kube-flannel-ds-1"])).toBe("flannel");
    expect(guessCni(["weave-net-1"])).toBe("weave");
    expect(guessCni(["antrea-agent-1"])).toBe("antrea");
    expect(guessCni(["kindnet-xyz"])).toBe("kindnet");
    expect(guessCni(["coredns-1"], "v1.31.6+k3s1")).toBe("flannel");
    expect(guessCni(["coredns-1"], "v1.31.6")).toBe("unknown");
  });

  it("reads control-plane flags in both spellings", () => {
    expect(flagValue(["kube-apiserver", "--service-cluster-ip-range=10.96.0.0/12,fd00::/108"], "--service-cluster-ip-range")).toBe("10.96.0.0/12,fd00::/108");
    expect(flagValue(["--cluster-cidr", "10.244.0.0/16"], "--cluster-cidr")).toBe("10.244.0.0/16");
    expect(flagValue(["--cluster-cidr"], "--cluster-cidr")).toBeUndefined();
    expect(splitCidrs("10.96.0.0/12, fd00::/108,junk")).toEqual(["10.96.0.0/12", "fd00::/108"]);
  });

  it("keeps up to 16 node pod CIDRs and covers more with one block per family", () => {
    expect(summarizeCidrs(["10.244.0.0/24", "10.244.1.0/24", "10.244.1.0/24"])).toEqual(["10.244.0.0/24", "10.244.1.0/24"]);
    const many = Array.from({ length: 40 }, (_, i) => `10.244.${i}.0/24`);
    expect(summarizeCidrs(many)).toEqual(["10.244.0.0/18"]);
    const dual = [...many, ...Array.from({ length: 20 }, (_, i) => `fd00:10:244:${i.toString(16)}::/64`)];
    expect(summarizeCidrs(dual)).toEqual(["10.244.0.0/18", "fd00:10:244::/59"]);
  });

  it("names the provider from a node's providerID", () => {
    expect(providerFromProviderId("aws:///eu-west-1a/i-0abc")).toBe("aws");
    expect(providerFromProviderId("gce://proj/europe-west4-a/node-1")).toBe("gcp");
    expect(providerFromProviderId("kind://docker/kind/kind-control-plane")).toBe("kind");
    expect(providerFromProviderId(undefined)).toBeUndefined();
  });
});

describe("bundle links", () => {
  it("reads link ids and peer endpoints from whatever shape the slices have", () => {
    const links = bundleLinks({
      slices: [
        {
          links: [
            { id: "a", peer: { endpoint: "203.0.113.5:51820" } },
            { id: "b", peer: { gatewayEndpoints: ["gw.example.net:443"] } },
          ],
        },
        { links: [{ id: "a" }, { id: "c", peerEndpoint: "198.51.100.1:1194" }, { noId: true }, "junk"] },
        { name: "no links here" },
        null,
      ],
    });
    expect(links).toEqual([
      { id: "a", endpoint: "203.0.113.5:51820" },
      { id: "b", endpoint: "gw.example.net:443" },
      { id: "c", endpoint: "198.51.100.1:1194" },
    ]);
    expect(bundleLinks({})).toEqual([]);
    expect(bundleLinks(null)).toEqual([]);
  });

  it("parses endpoints", () => {
    expect(parseEndpoint("203.0.113.5:51820")).toEqual({ host: "203.0.113.5", port: 51820 });
    expect(parseEndpoint("[2001:db8::1]:443")).toEqual({ host: "2001:db8::1", port: 443 });
    expect(parseEndpoint("udp://gw.example.net:1194")).toEqual({ host: "gw.example.net", port: 1194 });
    expect(parseEndpoint("gw.example.net")).toEqual({ host: "gw.example.net", port: 443 });
    expect(parseEndpoint("host:99999")).toBeNull();
  });
});
