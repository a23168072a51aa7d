import { describe, expect, test } from "vitest";
import { parseEnv } from "./env";

describe("environment validation", () => {
  test("defaults work on a developer machine", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toMatch(/^postgresql:/);
    expect(env.REDIS_URL).toMatch(/^redis:/);
    expect(env.LEASE_DURATION_SECONDS).toBe(15);
    expect(env.SIGNIN_FREE_FAILURES).toBe(5);
    expect(env.TRUSTED_PROXIES).toBe("");
  });

  test("a bad value names the variable", () => {
    expect(() => parseEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ LEASE_DURATION_SECONDS: "1" })).toThrow(/LEASE_DURATION_SECONDS/);
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES.*prefix/s);
    expect(() => parseEnv({ TRUSTED_PROXIES: "proxy.local" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => parseEnv({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });

  test("production requires a session secret", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/NEXTAUTH_SECRET/);
    expect(parseEnv({ NODE_ENV: "production", NEXTAUTH_SECRET: "x".repeat(32) }).NODE_ENV).toBe("production");
  });

  test("OIDC needs all three settings or none", () => {
    expect(() => parseEnv({ OIDC_ISSUER: "https://id.example.com" })).toThrow(/OIDC/);
    const env = parseEnv({ OIDC_ISSUER: "https://id.example.com", OIDC_CLIENT_ID: "isthmus", OIDC_CLIENT_SECRET: "s" });
    expect(env.OIDC_CLIENT_ID).toBe("isthmus");
  });

  test("numbers are coerced from strings", () => {
    expect(parseEnv({ SESSION_IDLE_SECONDS: "600" }).SESSION_IDLE_SECONDS).toBe(600);
  });
});
