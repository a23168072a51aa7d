// IPv4 CIDR arithmetic for slice address plans: parsing and formatting, containment,
// overlap and the private ranges. Pure; the slice layout and allocation build on it.
import { AppError } from "../../platform/errors";

export interface Cidr {
  /** Network address as an unsigned 32-bit integer (host bits cleared). */
  readonly network: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return null;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(addr: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(addr / 2 ** shift) % 256).join(".");
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/p"; host bits are cleared. Null for anything else (IPv6 included). */
export function parseCidr(text: string): Cidr | null {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const addr = parseIpv4(m[1]);
  const prefix = Number(m[2]);
  if (addr === null || prefix > 32 || String(prefix) !== m[2]) return null;
  return { network: (addr & mask(prefix)) >>> 0, prefix };
}

/** parseCidr for text already validated: anything else is a server bug (500). */
export function mustParse(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new AppError("INTERNAL_SERVER_ERROR", `not an IPv4 CIDR: ${text}`);
  return c;
}

function toCidr(c: Cidr | string): Cidr {
  return typeof c === "string" ? mustParse(c) : c;
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}

/** True when the text is a CIDR written with its network address (10.1.0.0/16, not 10.1.2.0/16). */
export function isCanonicalCidr(text: string): boolean {
  const c = parseCidr(text);
  return c !== null && formatCidr(c) === text;
}

export function cidrSize(c: Cidr | string): number {
  return 2 ** (32 - toCidr(c).prefix);
}

export function contains(outer: Cidr | string, inner: Cidr | string): boolean {
  const o = toCidr(outer);
  const i = toCidr(inner);
  return i.prefix >= o.prefix && (i.network & mask(o.prefix)) >>> 0 === o.network;
}

/** CIDR blocks are either nested or disjoint, so overlap means one contains the other. */
export function overlaps(a: Cidr | string, b: Cidr | string): boolean {
  return contains(a, b) || contains(b, a);
}

export function isPrivateCidr(c: Cidr | string): boolean {
  return PRIVATE_RANGES.some((r) => contains(r, c));
}

export const PRIVATE_RANGES: readonly Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(mustParse);
