// Where a V8 CPU profile (node --cpu-prof, or `bench/agents.ts --profile <dir>`) spent
// its time: the top functions by self time, and self time summed per package/file.
//   tsx bench/lib/cpuprofile-top.ts <file.cpuprofile>... [--from S] [--to S] [top=25]
// --from/--to keep only the samples taken that many seconds after the profile started
// (e.g. the measured window of a benchmark, without start-up and ramp).
import { readFileSync } from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
function takeOption(name: string): number | null {
  const i = args.indexOf(name);
  if (i < 0) return null;
  const v = Number(args[i + 1]);
  args.splice(i, 2);
  if (!Number.isFinite(v) || v < 0) {
    console.error(`${name} takes seconds since the profile started`);
    process.exit(64);
  }
  return v;
}
const fromUs = (takeOption("--from") ?? 0) * 1e6;
const toUs = (takeOption("--to") ?? Infinity) * 1e6;
const top = args.length > 1 && /^\d+$/.test(args.at(-1)!) ? Number(args.pop()) : 25;
if (args.length === 0) {
  console.error("usage: tsx bench/lib/cpuprofile-top.ts <file.cpuprofile>... [top]");
  process.exit(64);
}

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "").replace(/^.*\/work\/[^/]+\//, "") || "(native/vm)";
};

for (const file of args) summarise(file);

function summarise(file: string) {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  // Keep the samples inside [from, to) of the profile's own clock.
  let t = 0;
  const keep = p.timeDeltas.map((d) => ((t += d), t >= fromUs && t < toUs));
  p.samples = p.samples.filter((_, i) => keep[i]);
  p.timeDeltas = p.timeDeltas.filter((_, i) => keep[i]);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);

  const fn = new Map<string, number>();
  const pkg = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const cf = n.callFrame;
    const name = `${cf.functionName || "(anonymous)"}  ${where(cf.url)}${cf.url ? `:${cf.lineNumber + 1}` : ""}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    const k = cf.url ? where(cf.url) : cf.functionName || "(native)";
    pkg.set(k, (pkg.get(k) ?? 0) + us);
  }
  const pct = (us: number) => ((us / total) * 100).toFixed(1).padStart(5) + " %";
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s of samples over ${((p.endTime - p.startTime) / 1e6).toFixed(1)} s`);
  console.log("\nself time by function:");
  for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
  console.log("\nself time by package / file:");
  for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);

  // Inclusive time of the project's own functions (each counted once per sample, so
  // recursion does not inflate it): which of our code paths the time is spent under.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const seen = new Set<string>();
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const cf = byId.get(id)!.callFrame;
      if (!cf.url || cf.url.includes("node_modules") || cf.url.startsWith("node:")) continue;
      seen.add(`${cf.functionName || "(anonymous)"}  ${where(cf.url)}:${cf.lineNumber + 1}`);
    }
    for (const k of seen) incl.set(k, (incl.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  console.log("\ninclusive time under the project's own functions:");
  for (const [k, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${k}`);
}
