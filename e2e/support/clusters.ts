import { rand } from "./fixtures";

export type SiteType = "EDGE" | "CLOUD" | "ONPREM";

/**
 * A cluster as enrolment leaves it, written straight to the database (the e2e stack runs
 * no agent): AVAILABLE, seen just now, with pod and service ranges and a gateway endpoint
 * of its own (the `n`th), so a slice across several passes the overlap and NAT checks.
 * Server modules load on first use, after the test's tenant has set up the database.
 */
export async function makeLiveCluster(
  tenantId: string,
  name: string,
  siteType: SiteType,
  n: number,
  extra: { labels?: Record<string, string>; agentVersion?: string } = {},
): Promise<{ id: string; name: string }> {
  const { db } = await import("../../server/platform/db/client");
  return db().cluster.create({
    data: {
      tenantId,
      name,
      uid: `uid-${rand(8)}`,
      siteType,
      availability: "AVAILABLE",
      podCidrs: [`172.${20 + n}.0.0/16`],
      serviceCidrs: [`172.30.${n * 16}.0/20`],
      gatewayEndpoints: [`203.0.113.${10 + n}:51820`],
      behindNat: false,
      kubernetesVersion: "v1.31.2",
      cni: "cilium",
      nodeCount: 3,
      agentVersion: extra.agentVersion ?? null,
      labels: extra.labels ?? {},
      lastSeenAt: new Date(),
    },
    select: { id: true, name: true },
  });
}
