-- CreateEnum
CREATE TYPE "GatewayType" AS ENUM ('OPENVPN', 'WIREGUARD');

-- CreateTable
CREATE TABLE "Slice" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "subnet" TEXT NOT NULL,
    "maxClusters" INTEGER NOT NULL,
    "gatewayType" "GatewayType" NOT NULL,
    "gatewayService" JSONB NOT NULL,
    "topology" JSONB NOT NULL,
    "qos" JSONB NOT NULL,
    "namespaceIsolation" JSONB NOT NULL,
    "serviceExports" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Slice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SliceMember" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "sliceId" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "subnet" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SliceMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GatewayLink" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "sliceId" TEXT NOT NULL,
    "serverClusterId" TEXT NOT NULL,
    "clientClusterId" TEXT NOT NULL,
    "tunnelIndex" INTEGER NOT NULL,
    "serverTunnelIp" TEXT NOT NULL,
    "clientTunnelIp" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GatewayLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Slice_tenantId_name_key" ON "Slice"("tenantId", "name");

-- CreateIndex
CREATE INDEX "SliceMember_clusterId_idx" ON "SliceMember"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "SliceMember_sliceId_clusterId_key" ON "SliceMember"("sliceId", "clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "SliceMember_sliceId_index_key" ON "SliceMember"("sliceId", "index");

-- CreateIndex
CREATE INDEX "GatewayLink_serverClusterId_idx" ON "GatewayLink"("serverClusterId");

-- CreateIndex
CREATE INDEX "GatewayLink_clientClusterId_idx" ON "GatewayLink"("clientClusterId");

-- CreateIndex
CREATE UNIQUE INDEX "GatewayLink_sliceId_tunnelIndex_key" ON "GatewayLink"("sliceId", "tunnelIndex");

-- AddForeignKey
ALTER TABLE "Slice" ADD CONSTRAINT "Slice_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SliceMember" ADD CONSTRAINT "SliceMember_sliceId_fkey" FOREIGN KEY ("sliceId") REFERENCES "Slice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SliceMember" ADD CONSTRAINT "SliceMember_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GatewayLink" ADD CONSTRAINT "GatewayLink_sliceId_fkey" FOREIGN KEY ("sliceId") REFERENCES "Slice"("id") ON DELETE CASCADE ON UPDATE CASCADE;
