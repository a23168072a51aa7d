-- AlterTable
ALTER TABLE "Slice" ADD COLUMN     "qosProfileId" TEXT,
ALTER COLUMN "qos" DROP NOT NULL;

-- CreateTable
CREATE TABLE "QosProfile" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "priority" INTEGER NOT NULL,
    "bandwidthCeilingKbps" INTEGER NOT NULL,
    "bandwidthGuaranteedKbps" INTEGER NOT NULL,
    "dscpClass" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QosProfile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "QosProfile_tenantId_name_key" ON "QosProfile"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "QosProfile_tenantId_id_key" ON "QosProfile"("tenantId", "id");

-- CreateIndex
CREATE INDEX "Slice_tenantId_qosProfileId_idx" ON "Slice"("tenantId", "qosProfileId");

-- AddForeignKey
ALTER TABLE "Slice" ADD CONSTRAINT "Slice_tenantId_qosProfileId_fkey" FOREIGN KEY ("tenantId", "qosProfileId") REFERENCES "QosProfile"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QosProfile" ADD CONSTRAINT "QosProfile_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A slice without QoS stored {} while the column was required; NULL means best effort now.
UPDATE "Slice" SET "qos" = NULL WHERE "qos" = '{}'::jsonb;
