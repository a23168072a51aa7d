-- Row-level security for the rollout tables (same pattern as row_level_security).
ALTER TABLE "Rollout" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Rollout"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "RolloutTarget" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RolloutTarget"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
