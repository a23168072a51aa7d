/** The cluster an authenticated agent speaks for. */
export interface AgentPrincipal {
  credentialId: string;
  clusterId: string;
  clusterName: string;
  tenantId: string;
  tenantSlug: string;
  leaseDurationSeconds: number;
}

export const agentActor = (agent: AgentPrincipal, sourceIp?: string | null) =>
  ({ type: "AGENT", id: agent.clusterId, label: `agent of ${agent.clusterName}`, sourceIp: sourceIp ?? null }) as const;
