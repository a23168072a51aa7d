// Clusters for tests of domains that build on enrolment, written straight to the
// database as enrolment leaves them (available, with inventory).
import { db } from "../server/platform/db/client";
import { rand } from "./fixtures";

export interface TestClusterOptions {
  name?: string;
  siteType?: "EDGE" | "CLOUD" | "ONPREM";
  behindNat?: boolean;
  availability?: "AVAILABLE" | "UNKNOWN" | "PENDING";
  podCidrs?: string[];
  serviceCidrs?: string[];
  gatewayEndpoints?: string[];
}

let counter = 0;
export async function makeCluster(tenantId: string, o: TestClusterOptions = {}) {
  const n = ++counter;
  return db().cluster.create({
    data: {
      tenantId,
      name: o.name ?? `c${n}-${rand(2)}`,
      uid: `uid-${rand(8)}`,
      siteType: o.siteType ?? "CLOUD",
      behindNat: o.behindNat ?? false,
      availability: o.availability ?? "AVAILABLE",
      podCidrs: o.podCidrs ?? [`10.${100 + (n % 100)}.0.0/16`],
      serviceCidrs: o.serviceCidrs ?? [`172.20.${n % 250}.0/24`],
      gatewayEndpoints: o.gatewayEndpoints ?? (o.behindNat ? [] : [`gw-${n}.example.net:51820`]),
      kubernetesVersion: "v1.31.2",
      cni: "cilium",
      nodeCount: 3,
    },
    select: { id: true, name: true },
  });
}
