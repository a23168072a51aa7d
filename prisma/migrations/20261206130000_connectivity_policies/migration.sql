-- Connectivity policies (intent), the per-slice default posture, and what each
-- cluster's agent reports for the reachability preview.
CREATE TYPE "SlicePosture" AS ENUM ('ALLOW_WITHIN_SLICE', 'DENY_BY_DEFAULT');
CREATE TYPE "PolicyAction" AS ENUM ('ALLOW', 'DENY');

ALTER TABLE "Slice" ADD COLUMN "defaultPosture" "SlicePosture" NOT NULL DEFAULT 'ALLOW_WITHIN_SLICE';
ALTER TABLE "Cluster" ADD COLUMN "adminNetworkPolicy" BOOLEAN;
ALTER TABLE "Cluster" ADD COLUMN "appInventory" JSONB;
ALTER TABLE "Cluster" ADD COLUMN "appInventoryHash" TEXT;

CREATE TABLE "Policy" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL,
    "action" "PolicyAction" NOT NULL,
    "sliceId" TEXT,
    "from" JSONB NOT NULL,
    "to" JSONB NOT NULL,
    "ports" JSONB NOT NULL DEFAULT '[]',
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Policy_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "Policy_tenantId_name_key" ON "Policy"("tenantId", "name");
CREATE INDEX "Policy_tenantId_priority_idx" ON "Policy"("tenantId", "priority");
CREATE INDEX "Policy_sliceId_idx" ON "Policy"("sliceId");

ALTER TABLE "Policy" ADD CONSTRAINT "Policy_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "Policy" ADD CONSTRAINT "Policy_sliceId_fkey" FOREIGN KEY ("sliceId") REFERENCES "Slice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
