// Runs in every test worker before the test file: points the services at the run's
// own database and Redis, before anything reads the environment.
import { inject } from "vitest";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.REDIS_URL = inject("redisUrl");
process.env.NEXTAUTH_SECRET ??= "test-secret-test-secret-test-secret";
process.env.LOG_LEVEL ??= "silent";
// Every test enrols from 127.0.0.1, and the suite's files share one Redis: the limit
// per address would make them fail each other. Tests of the limit set their own.
process.env.AGENT_ENROL_PER_MINUTE ??= "100000";
