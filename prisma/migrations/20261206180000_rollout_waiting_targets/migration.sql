-- The targets of a wave still waiting for their ack. Every ack asks whether others of its
-- wave still wait; without this index, late in a wave of thousands each ack walked all
-- of the rollout's targets to find the few still PUBLISHED (quadratic in the wave size).
-- Partial, so it holds only the targets in flight. (Prisma's schema cannot state a
-- partial index; like the alerts' deduplication index, it lives in SQL only.)
CREATE INDEX "RolloutTarget_waiting_idx" ON "RolloutTarget" ("rolloutId", "wave") WHERE "state" = 'PUBLISHED';
