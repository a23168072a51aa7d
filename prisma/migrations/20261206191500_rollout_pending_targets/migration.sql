-- The targets of a wave still to publish, in the order they are published (by cluster
-- name). Each publish chunk takes the next 500; without this index every chunk sorted
-- all of the rollout's targets (20 sorts of 10,000 for a fleet-wide change). Partial,
-- so it holds only the targets not yet published; SQL only, as Prisma's schema cannot
-- state a partial index.
CREATE INDEX "RolloutTarget_pending_idx" ON "RolloutTarget" ("rolloutId", "wave", "clusterName") WHERE "state" = 'PENDING';
