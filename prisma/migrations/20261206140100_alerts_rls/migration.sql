-- Row-level security for the alerts domain (see *_row_level_security), and the
-- deduplication rule Prisma cannot express: at most one unresolved alert per rule and
-- subject, so two evaluators racing cannot open the same alert twice.
ALTER TABLE "AlertRule" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AlertRule"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "Alert" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Alert"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "Webhook" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Webhook"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "WebhookDelivery" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "WebhookDelivery"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));

CREATE UNIQUE INDEX "Alert_unresolved_once" ON "Alert" ("ruleId", "subjectId") WHERE "state" <> 'RESOLVED';
