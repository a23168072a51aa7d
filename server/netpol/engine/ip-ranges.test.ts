import { describe, expect, it } from "vitest";
import { atomsOf, formatRange, mergeRanges, parseCidr, subtractRanges } from "./ip-ranges";

describe("IP ranges", () => {
  it("parses IPv4 and IPv6 CIDRs, ignoring host bits", () => {
    expect(formatRange(parseCidr("10.1.2.3/8"))).toBe("10.0.0.0-10.255.255.255");
    expect(formatRange(parseCidr("192.168.1.7/32"))).toBe("192.168.1.7-192.168.1.7");
    expect(formatRange(parseCidr("fd00::/64"))).toBe("fd00::-fd00::ffff:ffff:ffff:ffff");
    expect(formatRange(parseCidr("::ffff:10.0.0.0/120"))).toBe("::ffff:a00:0-::ffff:a00:ff");
    expect(formatRange(parseCidr("2001:db8:0:0:1:0:0:1/128"))).toBe("2001:db8::1:0:0:1-2001:db8::1:0:0:1");
  });

  it("refuses what is not a CIDR", () => {
    expect(() => parseCidr("10.0.0.0")).toThrow(/not a CIDR/);
    expect(() => parseCidr("10.0.0.256/32")).toThrow(/invalid IPv4/);
    expect(() => parseCidr("10.0.0.0/33")).toThrow(/prefix longer than 32/);
    expect(() => parseCidr("fd00:::1/64")).toThrow(/invalid IPv6/);
  });

  it("merges and subtracts ranges", () => {
    expect(mergeRanges([parseCidr("10.128.0.0/9"), parseCidr("10.0.0.0/9"), parseCidr("fd00::/8"), parseCidr("10.1.0.0/16")]).map(formatRange)).toEqual([
      "10.0.0.0-10.255.255.255",
      "fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ]);
    expect(subtractRanges(parseCidr("0.0.0.0/0"), [parseCidr("10.128.0.0/9"), parseCidr("10.0.0.0/9"), parseCidr("172.21.0.0/16")]).map(formatRange)).toEqual([
      "0.0.0.0-9.255.255.255",
      "11.0.0.0-172.20.255.255",
      "172.22.0.0-255.255.255.255",
    ]);
    expect(subtractRanges(parseCidr("10.0.0.0/8"), [parseCidr("fd00::/8")]).map(formatRange)).toEqual(["10.0.0.0-10.255.255.255"]);
  });

  it("cuts the IPv4 space at every mentioned boundary, and IPv6 only when mentioned", () => {
    expect(atomsOf([]).map(formatRange)).toEqual(["0.0.0.0-255.255.255.255"]);
    expect(atomsOf([parseCidr("10.0.0.0/8"), parseCidr("10.1.0.0/16")]).map(formatRange)).toEqual([
      "0.0.0.0-9.255.255.255",
      "10.0.0.0-10.0.255.255",
      "10.1.0.0-10.1.255.255",
      "10.2.0.0-10.255.255.255",
      "11.0.0.0-255.255.255.255",
    ]);
    expect(atomsOf([parseCidr("0.0.0.0/0"), parseCidr("fd00::/8")]).map(formatRange)).toEqual([
      "0.0.0.0-255.255.255.255",
      "::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      "fd00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      "fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ]);
  });
});
