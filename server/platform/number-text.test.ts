import { describe, expect, it } from "vitest";
import { numberText } from "./number-text";

/** Finite doubles from random bit patterns (every exponent, subnormals included), seeded so a failure replays. */
function* randomDoubles(count: number, seed = 0x5eed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  const bits = new Uint32Array(2);
  const value = new Float64Array(bits.buffer);
  for (let made = 0; made < count;) {
    bits[0] = next();
    bits[1] = next();
    if (Number.isFinite(value[0]!)) {
      made++;
      yield value[0]!;
    }
  }
}

const EDGES = [0, -0, 1, -1, 12.5, 0.1 + 0.2, 1e21, 1.5e-7, 2 ** 31, 2 ** 53 - 1, Number.MAX_VALUE, Number.MIN_VALUE, 123.456, 1_000_000_000];

describe("numberText", () => {
  it("writes every finite number as String() does", () => {
    for (const n of [...EDGES, ...randomDoubles(20_000)]) expect(numberText(n)).toBe(String(n));
  });

  it("reads back as the same number", () => {
    for (const n of [...EDGES, ...randomDoubles(20_000, 7)]) expect(Number(numberText(n))).toBe(Object.is(n, -0) ? 0 : n);
  });
});
