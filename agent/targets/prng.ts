// Small seedable PRNG: the simulated fleet must be reproducible from --seed, and
// Math.random cannot be seeded.

/** mulberry32: 32-bit state, good enough statistics for simulated metrics. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over the parts, so (seed, index) and (seed, linkId) give independent streams. */
export function hashSeed(...parts: Array<string | number>): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("\u0000")) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export const between = (rng: () => number, min: number, max: number) => min + rng() * (max - min);
export const intBetween = (rng: () => number, min: number, max: number) => Math.floor(between(rng, min, max + 1));
export const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
