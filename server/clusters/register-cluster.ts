// Enrolment: an agent trades a registration token for a cluster id and a credential.
// Idempotent per (tenant, kube-system uid): registering again re-attaches the same
// cluster with a fresh credential and revokes the old one. A refused token changes
// nothing except a rate-limited trace for the tenant.
import { ZRegisterRequest, type RegisterRequest, type RegisterResponse } from "../../protocol/index";
import { writeAudit } from "../audit/write-audit";
import { announceRevision, insertRevision } from "../config/publish-revision";
import { Prisma } from "../platform/db/generated/client";
import type { Tx } from "../platform/db/client";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import { isUniqueViolation } from "../platform/errors";
import { redis } from "../platform/redis";
import { consumeRegistrationToken } from "../registration-tokens/consume-registration-token";
import { parseInput } from "../platform/validation";
import { nameFromUid, uniqueClusterName } from "./cluster-name";
import { announceCredentialRevocation } from "./credential-cache";
import { checkEnrolRate } from "./enrol-rate-limit";
import { writeEvents, type ClusterEvent } from "../events/events";
import { issueAgentCredential } from "./issue-credential";
import { hotStateKey } from "../hot-state/keys";
import { asLabels } from "../platform/labels";
import { ProtocolError } from "../platform/protocol-error";
import { recordEnrolmentRefusal } from "./record-refusal";

export interface RegisterOptions {
  /** Enrolment attempts allowed per source address per minute. */
  ratePerMinute?: number;
}

async function enrol(tx: Tx, req: RegisterRequest, sourceIp: string | null, lease: number) {
  const token = await consumeRegistrationToken(tx, req.token);
  const { tenantId } = token;
  const c = req.cluster;
  const now = new Date();
  const existing = await tx.cluster.findUnique({
    where: { tenantId_uid: { tenantId, uid: c.uid } },
    select: { id: true, name: true, labels: true, siteType: true, region: true, provider: true, availability: true, desiredRevision: true },
  });
  const inventory = {
    kubernetesVersion: c.kubernetesVersion,
    cni: c.cni,
    podCidrs: c.podCidrs,
    serviceCidrs: c.serviceCidrs,
    nodeCount: c.nodeCount,
    gatewayEndpoints: c.gatewayEndpoints,
    behindNat: c.behindNat,
    agentVersion: req.agentVersion,
    // Null when the agent could not list them: the compiler then sends everything.
    reportedNamespaces: c.namespaces ?? Prisma.DbNull,
  };
  // The token's labels and site type are the administrator's choice and win; the
  // agent's own facts fill what nobody set.
  const labels = { ...asLabels(existing?.labels), ...asLabels(token.labels) };
  const siteType = token.siteType ?? c.siteType ?? existing?.siteType ?? "CLOUD";
  const common = {
    ...inventory,
    labels,
    siteType,
    availability: "AVAILABLE" as const,
    lastSeenAt: now,
    leaseDurationSeconds: lease,
    lastHeartbeatSeq: -1n,
    registrationTokenId: token.id,
  };
  const cluster = existing
    ? await tx.cluster.update({
        where: { id: existing.id, tenantId },
        data: { ...common, provider: c.provider ?? existing.provider, region: existing.region ?? c.region ?? null },
        select: { id: true, name: true },
      })
    : await tx.cluster.create({
        data: {
          ...common,
          tenantId,
          uid: c.uid,
          name: await uniqueClusterName(tx, tenantId, c.name ?? nameFromUid(c.uid)),
          provider: c.provider ?? null,
          region: c.region ?? null,
        },
        select: { id: true, name: true },
      });
  const cred = await issueAgentCredential(tx, tenantId, cluster.id, now);

  let revision: number | null = null;
  if (!existing || existing.desiredRevision === 0) {
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true } });
    const published = await insertRevision(tx, tenantId, cluster.id, {
      cluster: { id: cluster.id, name: cluster.name, tenant: tenant.slug },
      slices: [],
      manifests: [],
    });
    if (published.created) revision = published.revision;
  }

  const events: ClusterEvent[] = [
    {
      tenantId,
      clusterId: cluster.id,
      type: existing ? "cluster.re-registered" : "cluster.registered",
      message: `${cluster.name} ${existing ? "registered again" : "registered"} with token "${token.name}" from ${sourceIp ?? "an unknown address"}`,
      data: { tokenId: token.id, agentVersion: req.agentVersion, sourceIp },
    },
  ];
  if (existing?.availability !== "AVAILABLE") {
    events.push({
      tenantId,
      clusterId: cluster.id,
      type: "cluster.available",
      message: `${cluster.name} is AVAILABLE (agent enrolled)`,
      data: { from: existing?.availability ?? "PENDING", to: "AVAILABLE" },
    });
  }
  await writeEvents(tx, events);
  await writeAudit(tx, {
    tenantId,
    actor: { type: "AGENT", id: cluster.id, label: `agent of ${cluster.name}`, sourceIp },
    action: existing ? "cluster.re-register" : "cluster.register",
    targetType: "cluster",
    targetId: cluster.id,
    before: existing ? { name: existing.name, labels: existing.labels, siteType: existing.siteType, availability: existing.availability } : null,
    after: { name: cluster.name, uid: c.uid, labels, siteType, availability: "AVAILABLE", registrationToken: token.name },
  });
  return { clusterId: cluster.id, credential: cred.credential, revokedIds: cred.revokedIds, revision };
}

export async function registerCluster(req: RegisterRequest, sourceIp: string | null, opts: RegisterOptions = {}): Promise<RegisterResponse> {
  // Every attempt counts, malformed ones included.
  await checkEnrolRate(sourceIp ?? "unknown", opts.ratePerMinute);
  const input = parseInput(ZRegisterRequest, req);
  const lease = env().LEASE_DURATION_SECONDS;
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await db().$transaction((tx) => enrol(tx, input, sourceIp, lease));
      await announceCredentialRevocation(done.revokedIds);
      // A new agent session: its heartbeat sequence starts afresh.
      await redis().del(hotStateKey(done.clusterId));
      if (done.revision !== null) await announceRevision(done.clusterId, done.revision);
      return { clusterId: done.clusterId, credential: done.credential, leaseDurationSeconds: lease };
    } catch (err) {
      if (err instanceof ProtocolError) {
        await recordEnrolmentRefusal(err, sourceIp).catch(() => {});
        throw err;
      }
      // Two agents of one cluster (or two clusters wanting one name) raced: try again.
      if (isUniqueViolation(err) && attempt < 4) continue;
      throw err;
    }
  }
}
