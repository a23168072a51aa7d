import { describe, expect, it } from "vitest";
import { backoffDelay, MAX_BACKOFF_MS } from "./backoff";

describe("backoffDelay", () => {
  it("grows exponentially from the base, with half of each step jittered", () => {
    expect(backoffDelay(0, { baseMs: 1000, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { baseMs: 1000, random: () => 1 })).toBe(1000);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 0 })).toBe(4000);
    expect(backoffDelay(3, { baseMs: 1000, random: () => 1 })).toBe(8000);
  });

  it("never exceeds two minutes, however many attempts or however large a cap is asked for", () => {
    for (const attempt of [10, 17, 50, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(attempt, { random: () => 1 })).toBe(MAX_BACKOFF_MS);
      expect(backoffDelay(attempt, { capMs: 10 * MAX_BACKOFF_MS, random: () => 1 })).toBe(120_000);
      expect(backoffDelay(attempt, { random: () => 0 })).toBe(MAX_BACKOFF_MS / 2);
    }
  });

  it("is jittered: agents failing together retry at different times", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(8000);
      expect(d).toBeLessThanOrEqual(16000);
    }
  });

  it("treats a negative attempt as the first", () => {
    expect(backoffDelay(-3, { baseMs: 100, random: () => 0 })).toBe(50);
  });
});
