import { describe, expect, it } from "vitest";
import { formatAgo, formatLoss, formatRate, formatRelative, formatRtt, formatSeconds, formatUntil } from "./format";

const now = Date.parse("2026-12-06T12:00:00Z");
const before = (ms: number) => new Date(now - ms);
const after = (ms: number) => new Date(now + ms);

describe("formatAgo / formatUntil", () => {
  it("reads a clock slightly ahead as now", () => {
    expect(formatAgo(after(400), now)).toBe("just now");
    expect(formatAgo(before(999), now)).toBe("just now");
  });
  it("steps from seconds to minutes, hours and days", () => {
    expect(formatAgo(before(12_000), now)).toBe("12 s ago");
    expect(formatAgo(before(4 * 60_000 + 59_000), now)).toBe("4 min ago");
    expect(formatAgo(before(47 * 3_600_000), now)).toBe("47 h ago");
    expect(formatAgo(before(48 * 3_600_000), now)).toBe("2 d ago");
  });
  it("gives the date once further back than two months", () => {
    expect(formatAgo(before(61 * 86_400_000), now)).toBe("Oct 6, 2026");
  });
  it("counts down to a future instant and reads a past one as ago", () => {
    expect(formatUntil(after(23 * 3_600_000), now)).toBe("in 23 h");
    expect(formatUntil(before(3 * 3_600_000), now)).toBe("3 h ago");
  });
});

describe("formatRelative", () => {
  it("says just now within 45 s and words further distances", () => {
    expect(formatRelative(before(30_000), now)).toBe("just now");
    expect(formatRelative(before(3 * 60_000).toISOString(), now)).toBe("3 minutes ago");
    expect(formatRelative(after(89 * 86_400_000), now)).toBe("in 3 months");
    expect(formatRelative(null, now)).toBe("—");
  });
});

describe("formatSeconds", () => {
  it("keeps seconds under two minutes, then rounds to minutes", () => {
    expect(formatSeconds(15)).toBe("15 s");
    expect(formatSeconds(119)).toBe("119 s");
    expect(formatSeconds(150)).toBe("3 min");
  });
});

describe("link quality", () => {
  it("shows a tenth of a millisecond below 10 ms, whole ms above", () => {
    expect(formatRtt(3.14)).toBe("3.1 ms");
    expect(formatRtt(42.6)).toBe("43 ms");
    expect(formatRtt(null)).toBe("—");
  });
  it("shows small losses with two decimals and zero as 0 %", () => {
    expect(formatLoss(0)).toBe("0 %");
    expect(formatLoss(0.125)).toBe("0.13 %");
    expect(formatLoss(12.34)).toBe("12.3 %");
    expect(formatLoss(undefined)).toBe("—");
  });
});

describe("formatRate", () => {
  it("scales bytes per second by thousands", () => {
    expect(formatRate(0)).toBe("0 B/s");
    expect(formatRate(999)).toBe("999 B/s");
    expect(formatRate(1_400_000)).toBe("1.4 MB/s");
    expect(formatRate(25_000)).toBe("25 kB/s");
    expect(formatRate(5e12)).toBe("5000 GB/s");
    expect(formatRate(null)).toBe("—");
  });
});
