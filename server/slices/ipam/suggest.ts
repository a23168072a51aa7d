// Subnet suggestions: the first private block no other slice (or pod range) uses.
import { fieldError } from "../../platform/errors";
import { cidrSize, formatCidr, overlaps, parseCidr, PRIVATE_RANGES, type Cidr } from "./cidr";

/**
 * The first free private block of the given size: 10.0.0.0/8 in order, then
 * 172.16.0.0/12, then 192.168.0.0/16. Skips past each taken range instead of testing
 * every candidate, so a long taken list stays cheap. Null when nothing is free.
 */
export function suggestSubnet(taken: readonly string[], prefix = 16): string | null {
  if (!Number.isInteger(prefix) || prefix < 8 || prefix > 22) throw fieldError("prefix", "must be an integer between 8 and 22");
  const blocks = taken
    .filter((t) => !t.includes(":"))
    .map((t) => parseCidr(t))
    .filter((c): c is Cidr => c !== null);
  const size = 2 ** (32 - prefix);
  for (const range of PRIVATE_RANGES) {
    if (range.prefix > prefix) continue;
    const end = range.network + cidrSize(range);
    let cand = range.network;
    while (cand + size <= end) {
      const candidate = { network: cand, prefix };
      const hit = blocks.find((b) => overlaps(b, candidate));
      if (!hit) return formatCidr(candidate);
      const after = Math.max(cand + size, hit.network + cidrSize(hit));
      cand = Math.ceil(after / size) * size;
    }
  }
  return null;
}
