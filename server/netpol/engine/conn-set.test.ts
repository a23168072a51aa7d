import { describe, expect, it } from "vitest";
import { ConnSet } from "./conn-set";

const tcp = (lo: number, hi?: number) => ConnSet.ports("TCP", lo, hi);

describe("ConnSet", () => {
  it("prints netpol-analyzer's notation: protocols alphabetically, ranges and single ports", () => {
    const c = ConnSet.protocol("SCTP").subtract(ConnSet.ports("SCTP", 9003)).union(ConnSet.protocol("TCP")).union(ConnSet.ports("UDP", 53));
    expect(c.toString()).toBe("SCTP 1-9002,9004-65535,TCP 1-65535,UDP 53");
    expect(ConnSet.all.toString()).toBe("All Connections");
    expect(ConnSet.none.toString()).toBe("No Connections");
  });

  it("merges overlapping and adjacent intervals on union", () => {
    expect(tcp(80, 90).union(tcp(91, 100)).union(tcp(85, 95)).toString()).toBe("TCP 80-100");
    expect(tcp(80).union(tcp(82)).toString()).toBe("TCP 80,82");
  });

  it("intersects and subtracts per protocol", () => {
    const a = tcp(1, 100).union(ConnSet.ports("UDP", 53));
    expect(a.intersect(tcp(50, 200)).toString()).toBe("TCP 50-100");
    expect(a.subtract(tcp(10, 20)).toString()).toBe("TCP 1-9,21-100,UDP 53");
    expect(ConnSet.all.subtract(ConnSet.all).isEmpty()).toBe(true);
    expect(ConnSet.all.subtract(tcp(1, 65535)).toString()).toBe("SCTP 1-65535,UDP 1-65535");
  });

  it("knows the whole set and membership", () => {
    expect(ConnSet.protocol("TCP").union(ConnSet.protocol("UDP")).union(ConnSet.protocol("SCTP")).isAll()).toBe(true);
    expect(tcp(80, 90).contains("TCP", 85)).toBe(true);
    expect(tcp(80, 90).contains("UDP", 85)).toBe(false);
    expect(tcp(80, 90).toJSON()).toEqual({ TCP: ["80-90"] });
  });
});
