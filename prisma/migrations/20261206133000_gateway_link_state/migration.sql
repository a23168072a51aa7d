-- CreateEnum
CREATE TYPE "LinkHealth" AS ENUM ('UP', 'DEGRADED', 'DOWN', 'UNKNOWN', 'FLAPPING');

-- CreateTable
CREATE TABLE "GatewayLinkState" (
    "linkId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "sliceId" TEXT NOT NULL,
    "status" "LinkHealth" NOT NULL,
    "rawStatus" "LinkHealth" NOT NULL,
    "reason" TEXT,
    "since" TIMESTAMP(3) NOT NULL,
    "changes" TIMESTAMP(3)[],
    "rttMs" DOUBLE PRECISION,
    "lossPct" DOUBLE PRECISION,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewayLinkState_pkey" PRIMARY KEY ("linkId")
);

-- CreateIndex
CREATE INDEX "GatewayLinkState_tenantId_status_idx" ON "GatewayLinkState"("tenantId", "status");

-- CreateIndex
CREATE INDEX "GatewayLinkState_sliceId_idx" ON "GatewayLinkState"("sliceId");

-- AddForeignKey
ALTER TABLE "GatewayLinkState" ADD CONSTRAINT "GatewayLinkState_linkId_fkey" FOREIGN KEY ("linkId") REFERENCES "GatewayLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;
