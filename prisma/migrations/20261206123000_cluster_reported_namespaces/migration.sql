-- The namespace names a cluster's agent last reported (a JSON array of strings), so the
-- compiler sends a cluster only objects whose namespace exists there. NULL: not known
-- (an older agent, or listing namespaces was refused): everything is sent, and the
-- agent reports objects in absent namespaces as skipped.
ALTER TABLE "Cluster" ADD COLUMN "reportedNamespaces" JSONB;
