import { describe, expect, test } from "vitest";
import { cidrSize, contains, formatCidr, formatIpv4, isCanonicalCidr, isPrivateCidr, overlaps, parseCidr, parseIpv4 } from "./cidr";

describe("IPv4 and CIDR parsing", () => {
  test("addresses round-trip through their integer form", () => {
    for (const a of ["0.0.0.0", "10.1.2.3", "172.31.255.254", "255.255.255.255"]) {
      expect(formatIpv4(parseIpv4(a)!)).toBe(a);
    }
    expect(parseIpv4("10.0.0.1")).toBe(167772161);
  });

  test("malformed addresses are rejected", () => {
    for (const a of ["256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "a.b.c.d", "", "1..2.3", " 1.2.3.4"]) {
      expect(parseIpv4(a), a).toBeNull();
    }
  });

  test("parseCidr clears host bits; isCanonicalCidr tells whether they were set", () => {
    expect(parseCidr("10.1.2.3/16")).toEqual({ network: parseIpv4("10.1.0.0"), prefix: 16 });
    expect(formatCidr(parseCidr("192.168.7.9/24")!)).toBe("192.168.7.0/24");
    expect(isCanonicalCidr("10.1.0.0/16")).toBe(true);
    expect(isCanonicalCidr("10.1.2.0/16")).toBe(false);
    expect(parseCidr("0.0.0.0/0")).toEqual({ network: 0, prefix: 0 });
    expect(parseCidr("1.2.3.4/32")).toEqual({ network: parseIpv4("1.2.3.4"), prefix: 32 });
  });

  test("parseCidr rejects bad prefixes, IPv6 and junk", () => {
    for (const c of ["10.0.0.0/33", "10.0.0.0/08", "10.0.0.0", "10.0.0.0/", "fd00::/8", "x/8", "10.0.0.300/24"]) {
      expect(parseCidr(c), c).toBeNull();
    }
  });

  test("contains and overlaps follow CIDR nesting", () => {
    expect(contains("10.0.0.0/8", "10.200.0.0/16")).toBe(true);
    expect(contains("10.200.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(contains("0.0.0.0/0", "192.168.1.1/32")).toBe(true);
    expect(overlaps("10.200.0.0/16", "10.0.0.0/8")).toBe(true);
    expect(overlaps("10.1.0.0/16", "10.2.0.0/16")).toBe(false);
    expect(overlaps("10.1.255.255/32", "10.1.0.0/16")).toBe(true);
    expect(overlaps("10.2.0.0/32", "10.1.0.0/16")).toBe(false);
    expect(cidrSize("10.0.0.0/8")).toBe(16_777_216);
  });

  test("private ranges are 10/8, 172.16/12 and 192.168/16 only", () => {
    for (const c of ["10.0.0.0/8", "10.9.0.0/16", "172.16.0.0/12", "172.31.0.0/16", "192.168.0.0/16", "192.168.4.0/22"]) {
      expect(isPrivateCidr(c), c).toBe(true);
    }
    for (const c of ["10.0.0.0/7", "172.32.0.0/16", "172.15.0.0/16", "192.169.0.0/16", "8.8.8.0/24", "100.64.0.0/10"]) {
      expect(isPrivateCidr(c), c).toBe(false);
    }
  });
});
