// The Node.js versions the project says it supports (package.json `engines.node`) must
// be versions every installed dependency supports too, and every place that picks a
// Node (.node-version, scripts/use-node.sh, the Dockerfile's images) must pick one of
// them. A range wider than a dependency's is a promise the project cannot keep: Node 23,
// say, where Prisma and vitest declare no support.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import semver from "semver";
import { describe, expect, test } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
const supported = pkg.engines.node;

interface Installed {
  name: string;
  version: string;
  range: unknown;
  dir: string;
}

/** Every package under node_modules (nested copies and scopes included) that declares `engines.node`. */
function installedEngines(dir: string, out: Installed[] = []): Installed[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name.startsWith(".") || !(e.isDirectory() || e.isSymbolicLink())) continue;
    const p = path.join(dir, e.name);
    if (e.name.startsWith("@")) {
      installedEngines(p, out);
      continue;
    }
    const manifest = path.join(p, "package.json");
    if (existsSync(manifest)) {
      const j = JSON.parse(readFileSync(manifest, "utf8")) as { name?: string; version?: string; engines?: { node?: unknown } };
      if (j.engines && j.engines.node !== undefined)
        out.push({ name: j.name ?? e.name, version: j.version ?? "?", range: j.engines.node, dir: path.relative(ROOT, p) });
    }
    installedEngines(path.join(p, "node_modules"), out);
  }
  return out;
}

/** The JavaScript check `scripts/use-node.sh` runs with `node -e`, as a function of a Node version. */
function useNodeCheck(): (version: string) => boolean {
  const script = readFileSync(path.join(ROOT, "scripts/use-node.sh"), "utf8");
  const code = /node -e '([^']+)'/.exec(script)?.[1];
  if (!code) throw new Error("scripts/use-node.sh has no `node -e '…'` version check");
  return (version) => {
    let exitCode: number | undefined;
    const fake = { versions: { node: version }, exit: (c: number) => (exitCode = c) };
    new Function("process", code)(fake);
    return exitCode === 0;
  };
}

describe("supported Node.js versions", () => {
  test("engines.node is a valid range", () => {
    expect(semver.validRange(supported), `engines.node ${JSON.stringify(supported)}`).not.toBeNull();
  });

  test("every installed dependency supports every Node.js version engines.node allows", () => {
    const all = installedEngines(path.join(ROOT, "node_modules"));
    // A sanity check that the walk found the tree (next, prisma, vitest … declare engines).
    expect(all.length).toBeGreaterThan(50);
    const offenders = all
      .filter((p) => typeof p.range !== "string" || semver.validRange(p.range) === null || !semver.subset(supported, p.range))
      .map((p) => `${p.name}@${p.version} needs node ${JSON.stringify(p.range)} (${p.dir})`);
    expect(offenders, `engines.node is ${supported}`).toEqual([]);
  });

  test("the Node.js running the tests is one engines.node allows", () => {
    expect(semver.satisfies(process.versions.node, supported), `node ${process.versions.node}, engines.node ${supported}`).toBe(true);
  });

  test(".node-version names a version engines.node allows", () => {
    const pinned = readFileSync(path.join(ROOT, ".node-version"), "utf8").trim();
    expect(semver.valid(pinned), `.node-version ${pinned}`).not.toBeNull();
    expect(semver.satisfies(pinned, supported), `.node-version ${pinned}, engines.node ${supported}`).toBe(true);
  });

  test("scripts/use-node.sh fetches the .node-version release, and accepts exactly the versions engines.node allows", () => {
    const script = readFileSync(path.join(ROOT, "scripts/use-node.sh"), "utf8");
    const fetched = /NODE_VERSION="\$\{ISTHMUS_NODE_VERSION:-([^}]+)\}"/.exec(script)?.[1];
    expect(fetched).toBe(readFileSync(path.join(ROOT, ".node-version"), "utf8").trim());
    const accepts = useNodeCheck();
    const samples = ["18.20.8", "20.19.0", "22.12.0", "22.18.9", "22.19.0", "22.23.1", "23.0.0", "23.11.1", "24.0.0", "24.22.3", "25.2.1", "26.0.0"];
    expect(samples.map((v) => [v, accepts(v)])).toEqual(samples.map((v) => [v, semver.satisfies(v, supported)]));
  });

  test("every node: image in the Dockerfile is a release line engines.node allows", () => {
    const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
    const images = [...dockerfile.matchAll(/\bnode:(\d+(?:\.\d+){0,2})(?:-[\w.-]+)?/g)].map((m) => m[1]!);
    expect(images.length, "the Dockerfile names no node:<version> image").toBeGreaterThan(0);
    for (const tag of images) {
      // node:24 is any 24.x, node:24.1 any 24.1.x: the whole line must be supported.
      const line = semver.validRange(tag.split(".").length === 3 ? tag : `${tag}.x`)!;
      expect(semver.subset(line, supported), `node:${tag} in the Dockerfile, engines.node ${supported}`).toBe(true);
    }
  });
});
