-- Row-level security for connectivity policies, as for every tenant-owned table (see
-- 20261206120500_row_level_security). The default privileges granted there already
-- give isthmus_app its table grants.
ALTER TABLE "Policy" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Policy"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
