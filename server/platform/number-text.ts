// Numbers as text on the agent API's per-heartbeat path, without V8's number-to-string
// cache.
//
// `String(n)` and `${n}` go through that cache: a table of ~16,000 number→string pairs
// held by the old generation, into which every conversion of a number not seen recently
// writes its new string. A heartbeat carries numbers seen nowhere else (its seq, each
// link's RTT, loss and byte rates), so at 5,000 heartbeats/s ~200,000 new strings a
// second went into the table; each stayed until another number took its slot, long
// enough to outlive two scavenges, and was promoted. That was most of what the per-minute
// gateway history added to the agent API's old generation (~1.2 MiB/s, a full GC every
// ~20 s; bench/README.md, "Long windows").
//
// JSON.stringify writes a number's digits straight into its result (the same shortest
// round-trip text as String(n) for every finite number, -0 as "0") and caches nothing.
export function numberText(n: number): string {
  return JSON.stringify(n);
}
