-- Gateway history: 1-minute and 1-hour rollups per link end, written in batches by the
-- workers from the per-minute buckets the heartbeat script keeps in Redis.
--
-- Both tables are range-partitioned on "bucket" (PostgreSQL native partitioning):
-- retention drops whole partitions (DROP TABLE, no DELETE, no vacuum debt), and a range
-- query only opens the partitions it covers. Partitions are created ahead and dropped
-- by the gateways.maintain-partitions job (server/gateways/partitions.ts): none is
-- created here. The 1-minute table has a partition per day (30 days kept); the 1-hour
-- table one per month (a year kept: 12 partitions rather than 365, which planning every
-- query would pay for).
--
-- These tables are not in schema.prisma: Prisma models no partitioned table, and they
-- are read and written with SQL only (server/gateways/). Migrations are generated from
-- a diff of the schema files, never of the database, so the omission cannot produce a
-- DROP.
--
-- Primary key (linkId, clusterId, bucket): the partition key must be part of it, and it
-- is exactly the order a link's chart reads. A BRIN index on bucket serves the scans
-- across all links of a range (overview, hour rollup): rows arrive in time order, so
-- BRIN stays tiny where a B-tree on 2,000 links x 1,440 minutes a day would not.

CREATE TABLE "GatewayRollup1m" (
  "tenantId"        text NOT NULL,
  "linkId"          text NOT NULL,
  "clusterId"       text NOT NULL,
  "bucket"          timestamptz NOT NULL,
  "samples"         integer NOT NULL,
  "rttAvg"          double precision,
  "rttMin"          double precision,
  "rttMax"          double precision,
  "rttP95"          double precision,
  "rttCount"        integer NOT NULL,
  "lossAvg"         double precision,
  "lossMax"         double precision,
  "lossCount"       integer NOT NULL,
  "rxAvg"           double precision,
  "txAvg"           double precision,
  "secondsUp"       real NOT NULL,
  "secondsDegraded" real NOT NULL,
  "secondsDown"     real NOT NULL,
  "secondsUnknown"  real NOT NULL,
  "rttHist"         integer[] NOT NULL,
  PRIMARY KEY ("linkId", "clusterId", "bucket")
) PARTITION BY RANGE ("bucket");
CREATE INDEX "GatewayRollup1m_bucket_brin" ON "GatewayRollup1m" USING brin ("bucket");
CREATE INDEX "GatewayRollup1m_tenant_bucket" ON "GatewayRollup1m" ("tenantId", "bucket");

CREATE TABLE "GatewayRollup1h" (LIKE "GatewayRollup1m" INCLUDING DEFAULTS INCLUDING CONSTRAINTS, PRIMARY KEY ("linkId", "clusterId", "bucket")) PARTITION BY RANGE ("bucket");
CREATE INDEX "GatewayRollup1h_bucket_brin" ON "GatewayRollup1h" USING brin ("bucket");
CREATE INDEX "GatewayRollup1h_tenant_bucket" ON "GatewayRollup1h" ("tenantId", "bucket");

-- Element-wise sum of histograms, so an hour's RTT histogram is the sum of its minutes'.
CREATE FUNCTION gw_hist_add(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a
    ELSE ARRAY(SELECT COALESCE(x, 0) + COALESCE(y, 0) FROM unnest(a, b) AS t(x, y)) END
$$;
CREATE AGGREGATE gw_hist_sum(integer[]) (SFUNC = gw_hist_add, STYPE = integer[]);

-- Row-level security, as every tenant-owned table (see *_row_level_security). It applies
-- to queries through the parent; partitions created later are revoked from isthmus_app
-- when they are created, so they cannot be read around the policy.
ALTER TABLE "GatewayRollup1m" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "GatewayRollup1m"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "GatewayRollup1h" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "GatewayRollup1h"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
