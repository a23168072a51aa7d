-- Row-level security: tenant isolation enforced by PostgreSQL, not only by every
-- query remembering its tenantId.
--
-- Console and REST requests run their queries as the role isthmus_app (SET ROLE on the
-- pooled connection, see server/db/tenant-scope.ts) with app.tenant_id set to the
-- caller's tenant. isthmus_app owns no table and has no BYPASSRLS, so every policy
-- below applies to it: a query that forgets its tenant filter sees no other tenant's
-- rows, and a write of another tenant's row is refused. With app.tenant_id unset,
-- current_setting(..., true) is NULL and nothing matches.
--
-- Work that spans tenants by design (the agent API authenticating a credential, the
-- heartbeat flush, lease evaluation, sign-in) runs as the connecting (owner) role,
-- which the policies do not restrict (RLS is enabled, not forced).

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'isthmus_app') THEN
    CREATE ROLE isthmus_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;
-- The connecting role must be allowed to SET ROLE isthmus_app.
GRANT isthmus_app TO CURRENT_USER;

GRANT USAGE ON SCHEMA public TO isthmus_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO isthmus_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO isthmus_app;
REVOKE ALL ON TABLE "_prisma_migrations" FROM isthmus_app;
-- Tables of later migrations get the same grants (they need their own policy too).
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO isthmus_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO isthmus_app;

ALTER TABLE "Tenant" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Tenant"
  USING ("id" = current_setting('app.tenant_id', true))
  WITH CHECK ("id" = current_setting('app.tenant_id', true));

ALTER TABLE "Membership" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Membership"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "Invite" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Invite"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "ApiToken" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ApiToken"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "AuditLog" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AuditLog"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "RegistrationToken" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "RegistrationToken"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "Cluster" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Cluster"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "AgentCredential" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AgentCredential"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "ConfigRevision" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ConfigRevision"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "ConfigAck" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ConfigAck"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "Event" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Event"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "Slice" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Slice"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "QosProfile" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "QosProfile"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "SliceMember" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SliceMember"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "GatewayLink" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "GatewayLink"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
ALTER TABLE "DeliveryOutbox" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "DeliveryOutbox"
  USING ("tenantId" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenantId" = current_setting('app.tenant_id', true));
