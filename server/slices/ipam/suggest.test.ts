import { describe, expect, test } from "vitest";
import { overlaps, parseCidr } from "./cidr";
import { suggestSubnet } from "./suggest";

describe("suggestSubnet", () => {
  test("prefers 10.x.0.0/16 in order", () => {
    expect(suggestSubnet([])).toBe("10.0.0.0/16");
    expect(suggestSubnet(["10.0.0.0/16", "10.1.0.0/16"])).toBe("10.2.0.0/16");
    expect(suggestSubnet(["10.0.5.0/24"])).toBe("10.1.0.0/16");
    expect(suggestSubnet(["10.0.0.0/9", "10.128.0.0/16"])).toBe("10.129.0.0/16");
  });

  test("then 172.16–31, then 192.168, then null", () => {
    expect(suggestSubnet(["10.0.0.0/8"])).toBe("172.16.0.0/16");
    expect(suggestSubnet(["10.0.0.0/8", "172.16.0.0/13"])).toBe("172.24.0.0/16");
    expect(suggestSubnet(["10.0.0.0/8", "172.16.0.0/12"])).toBe("192.168.0.0/16");
    expect(suggestSubnet(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/17"])).toBeNull();
  });

  test("honours the prefix, and ignores IPv6 and junk in the taken list", () => {
    expect(suggestSubnet(["10.0.0.0/22", "fd00::/8", "garbage"], 22)).toBe("10.0.4.0/22");
    expect(suggestSubnet([], 8)).toBe("10.0.0.0/8");
    expect(suggestSubnet(["10.1.0.0/16"], 8)).toBeNull();
    expect(() => suggestSubnet([], 23)).toThrow(/prefix/);
    expect(() => suggestSubnet([], 7)).toThrow(/prefix/);
  });

  test("never returns a block that overlaps anything taken", () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 50; round++) {
      const taken = Array.from({ length: 40 }, () => `10.${rand(256)}.${rand(256)}.0/${12 + rand(13)}`);
      const s = suggestSubnet(taken, 18)!;
      expect(s).not.toBeNull();
      for (const t of taken) expect(overlaps(s, parseCidr(t)!), `${s} vs ${t}`).toBe(false);
    }
  });
});
