-- Row-level security for the evaluated link health (see *_row_level_security).
ALTER TABLE "GatewayLinkState" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "GatewayLinkState"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
