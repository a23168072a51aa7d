// Site profiles for the simulated target, from what these sites look like in practice:
// edge boxes on consumer or cellular uplinks behind NAT, cloud VPCs a few ms apart,
// on-prem data centres in between.
import type { SiteType } from "../../protocol/index";

export const PROFILE_NAMES = ["edge", "cloud", "onprem"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface SiteProfile {
  siteType: SiteType;
  rttMs: [number, number];
  lossPct: [number, number];
  /** Throughput per link, bytes per second. */
  bps: [number, number];
  /** Chance per heartbeat a link goes down when --flap-rate is not given. */
  flapRate: number;
  behindNatRate: number;
  nodes: [number, number];
  cnis: readonly string[];
  /** Each provider with the regions it really has (an AWS cluster is never in "westeurope"). */
  regions: Readonly<Record<string, readonly string[]>>;
  /** Documentation range (RFC 5737) the site's gateway endpoints are numbered from. */
  endpointNetwork: string;
  versions: readonly string[];
}

export const PROFILES: Record<ProfileName, SiteProfile> = {
  edge: {
    siteType: "EDGE",
    rttMs: [30, 120],
    lossPct: [0.5, 3],
    bps: [125_000, 6_000_000],
    flapRate: 0.02,
    behindNatRate: 0.75,
    nodes: [1, 3],
    cnis: ["flannel", "flannel", "cilium", "calico"],
    regions: {
      k3s: ["store-eu-north", "store-eu-south", "retail-us-east"],
      microk8s: ["factory-de", "vessel-atlantic"],
      "bare-metal": ["store-eu-north", "factory-de"],
    },
    endpointNetwork: "192.0.2",
    versions: ["v1.31.6+k3s1", "v1.32.3+k3s1", "v1.33.1+k3s1", "v1.32.2"],
  },
  cloud: {
    siteType: "CLOUD",
    rttMs: [1, 15],
    lossPct: [0, 0.05],
    bps: [10_000_000, 120_000_000],
    flapRate: 0,
    behindNatRate: 0,
    nodes: [3, 40],
    cnis: ["cilium", "calico", "aws-vpc-cni", "azure-cni", "gke-dataplane-v2"],
    regions: { aws: ["eu-west-1", "us-east-1"], gcp: ["europe-west4", "us-central1"], azure: ["westeurope", "eastus"] },
    endpointNetwork: "198.51.100",
    versions: ["v1.31.7", "v1.32.4", "v1.33.2", "v1.34.1"],
  },
  onprem: {
    siteType: "ONPREM",
    rttMs: [5, 40],
    lossPct: [0, 0.4],
    bps: [2_500_000, 50_000_000],
    flapRate: 0.002,
    behindNatRate: 0.25,
    nodes: [3, 20],
    cnis: ["calico", "cilium", "antrea", "weave"],
    regions: { vsphere: ["dc-fra1", "dc-ams2"], openshift: ["dc-dal1", "dc-sin1"], "bare-metal": ["dc-fra1", "dc-sin1"] },
    endpointNetwork: "203.0.113",
    versions: ["v1.30.10", "v1.31.7", "v1.32.4"],
  },
};
