// Sets of connections: per protocol, a sorted list of disjoint, non-adjacent port
// intervals. Every policy verdict is computed with union / intersection / subtraction
// on these, so a rule that opens "TCP 80-90" and another that closes "TCP 85" give
// exactly "TCP 80-84,86-90" without enumerating ports.

export const PROTOCOLS = ["TCP", "UDP", "SCTP"] as const;
export type Protocol = (typeof PROTOCOLS)[number];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive port interval [lo, hi]. */
export type Interval = readonly [number, number];

function normalize(list: Interval[]): Interval[] {
  const sorted = list.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out.at(-1);
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

function complement(a: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let next = MIN_PORT;
  for (const [lo, hi] of a) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_PORT) out.push([next, MAX_PORT]);
  return out;
}

const FULL: Interval[] = [[MIN_PORT, MAX_PORT]];

/** An immutable set of (protocol, port) pairs. */
export class ConnSet {
  /** toString(), computed once: a report prints the same few sets on many lines. */
  private text?: string;

  private constructor(private readonly byProto: Readonly<Record<Protocol, readonly Interval[]>>) {}

  static readonly none = new ConnSet({ TCP: [], UDP: [], SCTP: [] });
  static readonly all = new ConnSet({ TCP: FULL, UDP: FULL, SCTP: FULL });

  /** Ports lo..hi (inclusive) of one protocol; hi defaults to lo. */
  static ports(protocol: Protocol, lo: number, hi = lo): ConnSet {
    const r = { TCP: [], UDP: [], SCTP: [] } as Record<Protocol, Interval[]>;
    r[protocol] = normalize([[Math.max(lo, MIN_PORT), Math.min(hi, MAX_PORT)]]);
    return new ConnSet(r);
  }

  static protocol(protocol: Protocol): ConnSet {
    return ConnSet.ports(protocol, MIN_PORT, MAX_PORT);
  }

  private map(other: ConnSet, f: (a: readonly Interval[], b: readonly Interval[]) => Interval[]): ConnSet {
    return new ConnSet({
      TCP: f(this.byProto.TCP, other.byProto.TCP),
      UDP: f(this.byProto.UDP, other.byProto.UDP),
      SCTP: f(this.byProto.SCTP, other.byProto.SCTP),
    });
  }

  union(other: ConnSet): ConnSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return this.map(other, (a, b) => normalize([...a, ...b]));
  }

  intersect(other: ConnSet): ConnSet {
    return this.map(other, intersect);
  }

  subtract(other: ConnSet): ConnSet {
    if (other.isEmpty()) return this;
    return this.map(other, (a, b) => intersect(a, complement(b)));
  }

  intervals(protocol: Protocol): readonly Interval[] {
    return this.byProto[protocol];
  }

  isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.byProto[p].length === 0);
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => this.byProto[p].length === 1 && this.byProto[p][0][0] === MIN_PORT && this.byProto[p][0][1] === MAX_PORT);
  }

  equals(other: ConnSet): boolean {
    return this.toString() === other.toString();
  }

  contains(protocol: Protocol, port: number): boolean {
    return this.byProto[protocol].some(([lo, hi]) => lo <= port && port <= hi);
  }

  /**
   * netpol-analyzer's notation: "All Connections", "No Connections", or protocols in
   * alphabetical order with their port ranges, e.g. "SCTP 1-9002,9004-65535,TCP 1-65535,UDP 53".
   */
  toString(): string {
    return (this.text ??= this.format());
  }

  private format(): string {
    if (this.isAll()) return "All Connections";
    if (this.isEmpty()) return "No Connections";
    return [...PROTOCOLS]
      .sort()
      .filter((p) => this.byProto[p].length > 0)
      .map((p) => `${p} ${this.byProto[p].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",")}`)
      .join(",");
  }

  /** Plain data for JSON output: protocol → ["80", "8000-8080"]; absent protocols have no ports. */
  toJSON(): Partial<Record<Protocol, string[]>> {
    const out: Partial<Record<Protocol, string[]>> = {};
    for (const p of [...PROTOCOLS].sort()) {
      if (this.byProto[p].length) out[p] = this.byProto[p].map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`));
    }
    return out;
  }
}
