// Fuzz of the REST API, generated from the live OpenAPI document: every operation it
// lists (a new one is covered without touching this file) gets malformed and boundary
// input — broken JSON, wrong types, empty and huge strings, NUL and lone surrogates,
// negative, int4+1 and huge numbers, arrays where objects go, unknown fields, bad path
// ids and another tenant's ids — through the real route handlers, with a real API token
// on the real database. No answer may be a 5xx or carry internal text. Seeded: the same
// requests every run.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as exportRoute from "./slices/[id]/export/route";
import * as restRoute from "./[...path]/route";
import { makeCluster } from "../../../test/clusters";
import { makeTenant, rand, tenantCtx, tokenCaller, type TenantFixture } from "../../../test/fixtures";
import { db } from "../../../server/platform/db/client";
import { createRegistrationToken } from "../../../server/registration-tokens/create-registration-token";
import { openApiDocument } from "../../../server/trpc/openapi";
import { appRouter } from "../../../server/trpc/root";

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  $ref?: string;
}
interface Operation {
  method: string;
  path: string;
  params: Array<{ in: string; name: string; schema?: Schema }>;
  body?: Schema;
}

const doc = openApiDocument("http://localhost/api/v1") as unknown as {
  paths: Record<string, Record<string, { parameters?: Operation["params"]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
};
const OPERATIONS: Operation[] = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    path,
    params: op.parameters ?? [],
    body: op.requestBody?.content?.["application/json"]?.schema,
  })),
);

// mulberry32: a small seeded generator, so a failure reproduces.
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const seedOf = (s: string) => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);

const INT4_MAX = 2 ** 31 - 1;
const deep = (n: number): unknown => (n === 0 ? "bottom" : { a: deep(n - 1) });
const HOSTILE: unknown[] = [
  "",
  " ",
  "x".repeat(100_000),
  "nul\u0000inside",
  "\u0000",
  "lone \ud800 high",
  "lone \udfff low",
  "💥 paired surrogates are fine",
  '\'; drop table "Slice"; --',
  "../../etc/passwd",
  -1,
  0,
  0.5,
  INT4_MAX,
  INT4_MAX + 1,
  -INT4_MAX - 2,
  Number.MAX_SAFE_INTEGER + 2,
  1e308,
  true,
  null,
  [],
  [1, "two", null],
  Array.from({ length: 5000 }, (_, i) => `item-${i}`),
  {},
  { unexpected: "field" },
  deep(40),
];
const QUERY_VALUES = [
  "",
  "%00",
  "a%00b",
  "%ED%A0%80",
  "-1",
  "0",
  String(INT4_MAX + 1),
  "1e308",
  "NaN",
  "x".repeat(5000),
  "true",
  "%5B%5D",
  "2026-13-45",
  "-200000-01-01T00:00:00Z",
  "275760-09-13T00:00:00Z",
];
const HEADER_VALUES = ['"stale"', 'W/"1"', "*", String(INT4_MAX + 1), "-1", "x".repeat(2000)];

interface Ids {
  foreign: string[];
  own: string[];
  /** The fuzzing tenant's own ids by the path's first segment ("slices", "clusters", …). */
  ownBy: Record<string, string>;
}

/** A value the schema would roughly accept, so mutations of one field reach deeper code. */
function plausible(s: Schema | undefined, r: () => number, depth = 0): unknown {
  if (!s || depth > 4) return "fuzz";
  if (s.enum?.length) return s.enum[Math.floor(r() * s.enum.length)];
  const alt = s.anyOf ?? s.oneOf;
  if (alt?.length) return plausible(alt[Math.floor(r() * alt.length)], r, depth + 1);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type;
  switch (type) {
    case "string":
      return `fuzz-${Math.floor(r() * 1e6).toString(36)}`;
    case "integer":
      return Math.max(s.minimum ?? 1, Math.min(s.maximum ?? 10, 1));
    case "number":
      return s.minimum ?? 1;
    case "boolean":
      return r() < 0.5;
    case "array":
      return [];
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k) || r() < 0.3) out[k] = plausible(v, r, depth + 1);
      return out;
    }
    default:
      return "fuzz";
  }
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

interface Case {
  label: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body?: string;
}

function cases(op: Operation, ids: Ids, count: number): Case[] {
  const r = prng(seedOf(`${op.method} ${op.path}`));
  const pathParams = op.params.filter((p) => p.in === "path");
  const queryParams = op.params.filter((p) => p.in === "query" && p.name !== "tenant");
  const headerParams = op.params.filter((p) => p.in === "header");
  const badIds = ["", "-1", String(INT4_MAX + 1), "x".repeat(3000), "%00", "..%2F..%2Fme", "%ED%A0%80", "latest", ...ids.foreign, ...ids.foreign, ...ids.own];
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const label: string[] = [];
    let path = op.path;
    for (const p of pathParams) {
      const v = pick(r, badIds);
      path = path.replace(`{${p.name}}`, v.startsWith("%") || v === "" ? v : encodeURIComponent(v));
      label.push(`${p.name}=${v.slice(0, 20)}`);
    }
    const query: string[] = [];
    for (const p of queryParams) {
      if (r() < 0.5) continue;
      const v = pick(r, QUERY_VALUES);
      query.push(`${encodeURIComponent(p.name)}=${v.startsWith("%") ? v : encodeURIComponent(v)}`);
      if (r() < 0.2) query.push(`${encodeURIComponent(p.name)}=again`);
      label.push(`?${p.name}=${v.slice(0, 12)}`);
    }
    const headers: Record<string, string> = { "content-type": "application/json" };
    for (const h of headerParams) if (r() < 0.5) headers[h.name] = pick(r, HEADER_VALUES);
    let body: string | undefined;
    if (op.body) {
      const kind = r();
      const base = plausible(op.body, r) as Record<string, unknown>;
      delete base.tenant;
      if (kind < 0.1) {
        body = JSON.stringify(base).slice(0, Math.max(1, Math.floor(r() * 20)));
        label.push("malformed JSON");
      } else if (kind < 0.15) {
        body = pick(r, ["[]", "null", '"text"', "42", "[{}]"]);
        label.push(`body=${body}`);
      } else if (kind < 0.18) {
        headers["content-type"] = pick(r, ["text/plain", "application/x-www-form-urlencoded", "application/xml"]);
        body = "name=x";
        label.push(`content-type=${headers["content-type"]}`);
      } else {
        const keys = Object.keys(op.body.properties ?? {}).filter((k) => k !== "tenant");
        const n = 1 + Math.floor(r() * 3);
        for (let j = 0; j < n && keys.length; j++) {
          const key = r() < 0.1 ? `unknown_${j}` : pick(r, keys);
          const v = pick(r, HOSTILE);
          base[key] = v;
          label.push(`${key}=${JSON.stringify(v)?.slice(0, 16)}`);
        }
        body = JSON.stringify(base);
      }
    }
    out.push({ label: `${op.method} ${op.path} ${label.join(" ")}`, path, query: query.join("&"), headers, body });
  }
  return out;
}

// One field at a time, on an otherwise plausible body and the caller's own object, so
// the value gets past every other rule and reaches the service and the database.
const FIELD_VALUES: unknown[] = ["nul\u0000inside", "lone \ud800 high", INT4_MAX + 1];

function fieldCases(op: Operation, ids: Ids): Case[] {
  if (!op.body) return [];
  const r = prng(seedOf(`fields ${op.method} ${op.path}`));
  const own = ids.ownBy[op.path.split("/")[1]!] ?? ids.own[0]!;
  const path = op.path.replace(/\{[^}]+\}/g, own);
  const out: Case[] = [];
  for (const key of Object.keys(op.body.properties ?? {})) {
    if (key === "tenant") continue;
    for (const v of FIELD_VALUES) {
      const base = op.method === "PATCH" ? {} : (plausible(op.body, r) as Record<string, unknown>);
      delete base.tenant;
      out.push({
        label: `${op.method} ${op.path} ${key}=${JSON.stringify(v)}`,
        path,
        query: "",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...base, [key]: v }),
      });
    }
  }
  return out;
}

// One query parameter at a time, the others left out.
const QUERY_FIELD_VALUES = ["%00", "%ED%A0%80", String(INT4_MAX + 1), "-1", "x".repeat(5000), "-200000-01-01T00:00:00Z"];

function queryCases(op: Operation, ids: Ids): Case[] {
  const own = ids.ownBy[op.path.split("/")[1]!] ?? ids.own[0]!;
  const path = op.path.replace(/\{[^}]+\}/g, own);
  return op.params
    .filter((p) => p.in === "query" && p.name !== "tenant")
    .flatMap((p) =>
      QUERY_FIELD_VALUES.map((v) => ({
        label: `${op.method} ${op.path} ?${p.name}=${v.slice(0, 24)}`,
        path,
        query: `${encodeURIComponent(p.name)}=${v.startsWith("%") ? v : encodeURIComponent(v)}`,
        headers: { "content-type": "application/json" },
      })),
    );
}

// Procedure names ("slices.update") must never reach a client.
const PROCEDURES = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures);
const INTERNAL =
  /prisma|Invalid `|\bP\d{4}\b|\bat [\w$.<>]+ \(|\.(ts|js|mjs):\d+|node_modules|invalid byte sequence|unsupported Unicode escape|violates .* constraint|out of range for type|PrismaClient/i;

let a: TenantFixture;
let b: TenantFixture;
let token: string;
let ids: Ids;
let foreignBefore: unknown;

async function foreignState(tenantId: string) {
  const [slices, clusters, tokens, regTokens, members, qos] = await Promise.all([
    db().slice.findMany({ where: { tenantId }, select: { id: true, name: true, updatedAt: true }, orderBy: { id: "asc" } }),
    db().cluster.findMany({ where: { tenantId }, select: { id: true, name: true, labels: true, region: true }, orderBy: { id: "asc" } }),
    db().apiToken.findMany({ where: { tenantId }, select: { id: true, revokedAt: true }, orderBy: { id: "asc" } }),
    db().registrationToken.findMany({ where: { tenantId }, select: { id: true, revokedAt: true }, orderBy: { id: "asc" } }),
    db().membership.findMany({ where: { tenantId }, select: { userId: true, role: true }, orderBy: { userId: "asc" } }),
    db().qosProfile.findMany({ where: { tenantId }, select: { id: true, name: true, priority: true }, orderBy: { id: "asc" } }),
  ]);
  return { slices, clusters, tokens, regTokens, members, qos };
}

beforeAll(async () => {
  a = await makeTenant("fuzz");
  b = await makeTenant("fuzz-victim");
  token = (await tokenCaller(a, "ADMIN")).token;
  // The victim tenant owns one of everything.
  const victim = (await tokenCaller(b, "ADMIN")).caller;
  const [bx, by] = [await makeCluster(b.id), await makeCluster(b.id)];
  const bSlice = await victim.slices.create({ name: `victim-${rand(2)}`, subnet: "10.120.0.0/16", members: [bx.name, by.name] });
  const bQos = await victim.qosProfiles.create({
    name: `gold-${rand(2)}`,
    priority: 1,
    bandwidthCeilingKbps: 10_000,
    bandwidthGuaranteedKbps: 5_000,
    dscpClass: "AF11",
  });
  const bReg = await createRegistrationToken(tenantCtx(b), { name: `reg-${rand(2)}` });
  const bAudit = await db().auditLog.findFirstOrThrow({ where: { tenantId: b.id }, select: { id: true } });
  const bTokens = await db().apiToken.findMany({ where: { tenantId: b.id }, select: { id: true } });
  // The fuzzing tenant has its own objects, so valid ids reach deeper code too.
  const mine = (await tokenCaller(a, "ADMIN")).caller;
  const [ax, ay] = [await makeCluster(a.id), await makeCluster(a.id, { behindNat: true })];
  const aSlice = await mine.slices.create({ name: `own-${rand(2)}`, subnet: "10.121.0.0/16", members: [ax.name, ay.name] });
  const aQos = await mine.qosProfiles.create({
    name: `silver-${rand(2)}`,
    priority: 2,
    bandwidthCeilingKbps: 10_000,
    bandwidthGuaranteedKbps: 5_000,
    dscpClass: "AF21",
  });
  ids = {
    foreign: [bx.id, bSlice.id, bQos.id, bReg.id, bAudit.id, ...bTokens.map((t) => t.id), b.members.VIEWER.id, b.owner.id],
    own: [ax.id, ay.id, aSlice.id, aQos.id],
    ownBy: { clusters: ax.id, slices: aSlice.id, "qos-profiles": aQos.id },
  };
  foreignBefore = await foreignState(b.id);
});

afterAll(async () => {
  // Nothing the fuzz sent changed the other tenant.
  expect(await foreignState(b.id)).toEqual(foreignBefore);
});

// Next.js hands a route its dynamic segment decoded; a malformed escape stays as sent.
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

async function send(c: Case): Promise<Response> {
  const url = `http://localhost/api/v1${c.path}${c.query ? `?${c.query}` : ""}`;
  const headers = { ...c.headers, authorization: `Bearer ${token}` };
  const method = c.label.split(" ")[0]!;
  const req = new Request(url, { method, headers, body: c.body });
  const exportMatch = /^\/slices\/([^/]*)\/export$/.exec(c.path);
  if (exportMatch && method === "GET") return exportRoute.GET(req, { params: Promise.resolve({ id: safeDecode(exportMatch[1]!) }) });
  const handler = (restRoute as unknown as Record<string, (req: Request, ctx: unknown) => Promise<Response>>)[method]!;
  return handler(req, { params: Promise.resolve({ path: c.path.split("/").filter(Boolean) }) });
}

// About 400 requests in all: seconds, not minutes. FUZZ_TRACE=1 prints each request and answer.
const PER_OPERATION = 8;

async function check(op: Operation, c: Case) {
  const res = await send(c);
  const text = await res.text();
  const where = `${c.label}\n→ ${res.status} ${text.slice(0, 300)}`;
  if (process.env.FUZZ_TRACE) process.stderr.write(`FUZZ ${res.status} ${c.label.slice(0, 140)} → ${text.slice(0, 140)}\n`);
  expect(res.status, where).toBeLessThan(500);
  expect(text, where).not.toMatch(INTERNAL);
  for (const p of PROCEDURES)
    expect(text.includes(`"${p}"`) || text.includes(` ${p} `) || text.includes(`${p}:`), `${where}\nnames procedure ${p}`).toBe(false);
  if (res.status >= 400) {
    expect(res.headers.get("content-type"), where).toBe("application/problem+json");
    expect(JSON.parse(text), where).toMatchObject({ type: expect.any(String), title: expect.any(String), status: res.status, detail: expect.any(String) });
  }
  // Another tenant's id never answers as if it existed.
  if (ids.foreign.some((id) => c.path.includes(encodeURIComponent(id))) && op.params.some((p) => p.in === "path"))
    expect(res.status, where).toBeGreaterThanOrEqual(400);
}

describe("REST fuzz over every operation of the OpenAPI document", () => {
  test("the document lists the operations (a new one is fuzzed without changes here)", () => {
    expect(OPERATIONS.length).toBeGreaterThan(20);
  });

  for (const op of OPERATIONS.filter((o) => o.body)) {
    test(`${op.method} ${op.path}: one hostile field at a time`, async () => {
      for (const c of fieldCases(op, ids)) await check(op, c);
    });
  }

  for (const op of OPERATIONS.filter((o) => o.method === "GET" && o.params.some((p) => p.in === "query" && p.name !== "tenant"))) {
    test(`${op.method} ${op.path}: one hostile query parameter at a time`, async () => {
      for (const c of queryCases(op, ids)) await check(op, c);
    });
  }

  for (const op of OPERATIONS) {
    test(`${op.method} ${op.path}: seeded malformed and boundary input`, async () => {
      for (const c of cases(op, ids, PER_OPERATION)) await check(op, c);
    });
  }
});
