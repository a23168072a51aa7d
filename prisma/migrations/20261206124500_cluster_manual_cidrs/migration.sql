-- Pod and service ranges set by hand in the console, for clusters whose agent cannot
-- find them (a managed platform that hides them). When not empty they are used instead
-- of the reported ones for the slice overlap checks; the reported ones are kept apart.
ALTER TABLE "Cluster" ADD COLUMN "manualPodCidrs" TEXT[] DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "Cluster" ADD COLUMN "manualServiceCidrs" TEXT[] DEFAULT ARRAY[]::TEXT[];
