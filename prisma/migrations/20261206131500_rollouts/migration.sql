-- Rollouts: every change of clusters' bundles is delivered as a Rollout with one
-- RolloutTarget per affected cluster (server/rollouts/).
CREATE TABLE "Rollout" (
    "id" TEXT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "tenantId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'PENDING',
    "strategy" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL,
    "actorType" TEXT NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT,
    "waveCount" INTEGER NOT NULL DEFAULT 0,
    "currentWave" INTEGER NOT NULL DEFAULT 0,
    "deadlineAt" TIMESTAMP(3),
    "soakUntil" TIMESTAMP(3),
    "blockedById" TEXT,
    "failure" TEXT,
    "evidence" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Rollout_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "RolloutTarget" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "rolloutId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "wave" INTEGER NOT NULL DEFAULT 0,
    "state" TEXT NOT NULL DEFAULT 'PENDING',
    "fromRevision" INTEGER,
    "toRevision" INTEGER,
    "rollbackRevision" INTEGER,
    "bundle" JSONB,
    "hash" TEXT,
    "diff" JSONB,
    "healthBefore" JSONB,
    "reason" TEXT,
    "evidence" JSONB,
    "publishedAt" TIMESTAMP(3),
    "ackedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RolloutTarget_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "Rollout_tenantId_createdAt_idx" ON "Rollout"("tenantId", "createdAt");
CREATE INDEX "Rollout_status_idx" ON "Rollout"("status");
CREATE UNIQUE INDEX "RolloutTarget_rolloutId_clusterId_key" ON "RolloutTarget"("rolloutId", "clusterId");
CREATE INDEX "RolloutTarget_tenantId_clusterId_state_idx" ON "RolloutTarget"("tenantId", "clusterId", "state");
CREATE INDEX "RolloutTarget_clusterId_toRevision_idx" ON "RolloutTarget"("clusterId", "toRevision");

ALTER TABLE "RolloutTarget" ADD CONSTRAINT "RolloutTarget_rolloutId_fkey" FOREIGN KEY ("rolloutId") REFERENCES "Rollout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- An outbox row now hands its cluster's change to a rollout.
ALTER TABLE "DeliveryOutbox" ADD COLUMN "rolloutId" TEXT;
