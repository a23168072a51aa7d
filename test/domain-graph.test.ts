// The arrows between server/ folders, checked on every run (DESIGN §1, CONVENTIONS
// "Layout"): ESLint holds the layers (server/app/components/agent/protocol); this holds
// the folders inside server/, which a per-file lint rule cannot see as a graph.
//
// * platform/ (db, redis, env, logger, metrics, queues, errors, shared types) is below
//   every domain: it imports none of them.
// * Only routers and the API edge (trpc/, agent-api/) import trpc/; a service never does.
// * The domains form no cycle. What several of them need sits below them all: bundles/
//   (compiling a cluster's bundle) over netpol/ (the policy rules, their compiler and the
//   engine); config/ (revisions) below rollouts/ (the outbox, ack recording, rollouts).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SERVER = path.join(ROOT, "server");

/** The API layer: it may import every domain, and no domain imports it. */
const EDGE = new Set(["trpc", "agent-api"]);

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "generated") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const folderOf = (file: string) => path.relative(SERVER, file).split(path.sep)[0]!;
const isRouter = (file: string) => path.basename(file) === "router.ts";

interface Edge {
  from: string;
  to: string;
  file: string;
  spec: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of sources(SERVER)) {
    const src = readFileSync(file, "utf8");
    for (const m of src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)"([^"]+)"/g)) {
      const spec = m[1]!;
      let target: string;
      if (spec.startsWith("@/server/")) target = path.join(ROOT, spec.slice(2));
      else if (spec.startsWith(".")) target = path.resolve(path.dirname(file), spec);
      else continue;
      if (!target.startsWith(SERVER + path.sep)) continue;
      const from = folderOf(file);
      const to = folderOf(target.endsWith(".ts") ? target : `${target}.ts`);
      if (from !== to) out.push({ from, to, file: path.relative(ROOT, file), spec });
    }
  }
  return out;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(),
    low = new Map<string, number>(),
    stack: string[] = [],
    on = new Set<string>(),
    out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe("server/ folders", () => {
  const all = edges();

  test("platform/ imports no domain", () => {
    expect(all.filter((e) => e.from === "platform").map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  test("only routers and the API edge import trpc/", () => {
    const bad = all.filter((e) => e.to === "trpc" && !EDGE.has(e.from) && !isRouter(path.join(ROOT, e.file)));
    expect(bad.map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  test("no service imports the API edge (a router may use the procedure builders)", () => {
    expect(all.filter((e) => EDGE.has(e.to) && !EDGE.has(e.from) && !isRouter(path.join(ROOT, e.file))).map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  test("the domains form no cycle", () => {
    const graph = new Map<string, Set<string>>();
    for (const e of all) {
      // Routers are the API layer of their domain: calling another domain's services from
      // one is an arrow down, never part of a cycle of services.
      if (EDGE.has(e.from) || isRouter(path.join(ROOT, e.file))) continue;
      if (!graph.has(e.from)) graph.set(e.from, new Set());
      graph.get(e.from)!.add(e.to);
    }
    expect(cycles(graph), "a cycle between server/ folders: let one side call the other's services only, or move the shared piece below both").toEqual([]);
  });

  test("bundles/ and netpol/ import no domain above them", () => {
    // What the delivery core and the intent domains share: were it to import one of them,
    // the cycle it broke would be back under another name.
    const below: Record<string, string[]> = { bundles: ["netpol", "platform"], netpol: ["platform"] };
    const bad = all.filter((e) => e.from in below && !below[e.from]!.includes(e.to));
    expect(bad.map((e) => `${e.file} → ${e.spec}`)).toEqual([]);
  });

  test("the check sees a cycle when there is one", () => {
    const g = new Map([
      ["a", new Set(["b"])],
      ["b", new Set(["c"])],
      ["c", new Set(["a"])],
      ["d", new Set(["a"])],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "c"]]);
  });
});
