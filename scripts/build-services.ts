// The production build of the two long-running services besides the web app: the agent
// API and the workers, each bundled by esbuild into one plain ES module in dist/, so
// production runs `node dist/agent-api.mjs` instead of compiling TypeScript through tsx
// at every start. `npm run dev` and the npm scripts `agent-api` / `workers` keep tsx.
//   npm run build:services [-- --outdir <dir>]
//
// What goes in a bundle: the project's own code (server/, workers/, protocol/ and the
// generated Prisma client, which is TypeScript). What stays outside: every npm package,
// imported from node_modules at run time as before. Several load files of their own
// when they run (Prisma's query compiler wasm, BullMQ's Lua scripts, pino's transport
// threads, @node-rs/argon2's native addon), so the image keeps node_modules either way,
// and a package left out cannot break in a bundle.
//
// `import.meta.dirname` / `.filename` / `.url` in the project's code keep meaning the
// source file's own place (server/platform/paths.ts finds the repository root by it, the install
// manifests are read from deploy/agent beside it): each is rewritten to that source
// location relative to the bundle, so the outputs still work wherever the tree is.
//
// Beside the bundles, dist/services.json lists what they were built from;
// servicesBuildIsStale() compares those files' times with the build's, as `npm start`
// does for `next build` (scripts/build-staleness.ts).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { build, type Plugin } from "esbuild";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const DEFAULT_OUTDIR = "dist";

/** Each service's entry, and the bundle it becomes (`<outdir>/<name>.mjs`). */
export const SERVICE_ENTRIES = {
  "agent-api": "server/agent-api/main.ts",
  workers: "workers/index.ts",
} as const;
export type ServiceName = keyof typeof SERVICE_ENTRIES;

/** Where a service's bundle is, for `node <file>`. */
export const serviceBundle = (name: ServiceName, root = ROOT, outdir = DEFAULT_OUTDIR) => path.resolve(root, outdir, `${name}.mjs`);

/**
 * Node flags every built service runs with: stack traces name the TypeScript source and
 * line, not the bundle's (the maps are read only when a trace is formatted).
 */
export const BUILT_SERVICE_NODE_FLAGS = ["--enable-source-maps"];

const MANIFEST = "services.json";
/** Read by the build besides its inputs: a change to one must rebuild too. */
const CONFIG_INPUTS = ["package.json", "tsconfig.json", "scripts/build-services.ts"];
/**
 * Left out of the staleness check: the generated Prisma client is rewritten with the
 * same content and a new time by every `npm install` (postinstall); its schema
 * (prisma/schema.prisma) is what counts.
 */
const GENERATED = /(^|\/)server\/platform\/db\/generated\//;

interface Manifest {
  builtAt: string;
  outputs: string[];
  inputs: string[];
}

const IMPORT_META = /\bimport\.meta\.(dirname|filename|url)\b/g;
const HAS_IMPORT_META = /\bimport\.meta\.(dirname|filename|url)\b/;

/** Rewrites import.meta's location fields in the project's sources (see the header). */
function sourceLocation(outdir: string): Plugin {
  return {
    name: "isthmus-source-location",
    setup(b) {
      b.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!HAS_IMPORT_META.test(text)) return undefined;
        const rel = (p: string) => JSON.stringify(path.relative(outdir, p).split(path.sep).join("/"));
        const contents = text.replace(IMPORT_META, (_m, field: string) => {
          if (field === "dirname") return `__isthmusSource(${rel(path.dirname(args.path))})`;
          if (field === "filename") return `__isthmusSource(${rel(args.path)})`;
          return `__isthmusSourceUrl(${rel(args.path)})`;
        });
        return { contents, loader: path.extname(args.path).endsWith("x") ? "tsx" : "ts", resolveDir: path.dirname(args.path) };
      });
    },
  };
}

const BANNER = [
  'import { resolve as __isthmusResolve } from "node:path";',
  'import { pathToFileURL as __isthmusToUrl } from "node:url";',
  "const __isthmusSource = (rel) => __isthmusResolve(import.meta.dirname, rel);",
  "const __isthmusSourceUrl = (rel) => __isthmusToUrl(__isthmusSource(rel)).href;",
].join("\n");

export interface BuildResult {
  outputs: string[];
  inputs: number;
  ms: number;
}

/** Bundle the services into `outdir` (relative to `root`, or absolute). Throws with esbuild's messages on an error. */
export async function buildServices(opts: { root?: string; outdir?: string } = {}): Promise<BuildResult> {
  const root = opts.root ?? ROOT;
  const outdir = path.resolve(root, opts.outdir ?? DEFAULT_OUTDIR);
  const began = performance.now();
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: SERVICE_ENTRIES,
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    // Every npm package stays an import from node_modules (see the header). tsconfig's
    // path aliases (`@/…`) are resolved first, so they are bundled like relative imports.
    packages: "external",
    tsconfig: path.join(root, "tsconfig.json"),
    sourcemap: true,
    // Names stay as written: logs and stack traces show the functions and classes of the source.
    keepNames: true,
    banner: { js: BANNER },
    plugins: [sourceLocation(outdir)],
    metafile: true,
    logLevel: "silent",
  });
  const outputs = Object.keys(SERVICE_ENTRIES).map((name) => path.join(outdir, `${name}.mjs`));
  const inputs = [...new Set([...Object.keys(result.metafile.inputs), ...CONFIG_INPUTS])].filter((p) => !p.includes("node_modules/")).sort();
  const manifest: Manifest = { builtAt: new Date().toISOString(), outputs: outputs.map((o) => path.relative(outdir, o)), inputs };
  writeFileSync(path.join(outdir, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
  return { outputs, inputs: inputs.length, ms: performance.now() - began };
}

/** Why the services in `root`/`outdir` must be built again, or null when they are current. */
export function servicesBuildIsStale(root = ROOT, outdir = DEFAULT_OUTDIR): string | null {
  const dir = path.resolve(root, outdir);
  const manifestFile = path.join(dir, MANIFEST);
  if (!existsSync(manifestFile)) return "no build of the services yet";
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  } catch {
    return "the last build's list of sources is unreadable";
  }
  const expected = Object.keys(SERVICE_ENTRIES).map((n) => `${n}.mjs`);
  if (!expected.every((o) => manifest.outputs?.includes(o) && existsSync(path.join(dir, o)))) return "a service's bundle is missing";
  const built = Math.min(...[MANIFEST, ...expected].map((f) => statSync(path.join(dir, f)).mtimeMs));
  for (const input of manifest.inputs ?? []) {
    if (GENERATED.test(input)) continue;
    const file = path.join(root, input);
    if (!existsSync(file)) return `${input} is gone since the last build`;
    if (statSync(file).mtimeMs > built) return "sources changed since the last build";
  }
  return null;
}

// ---------------------------------------------------------------- command line

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { outdir: { type: "string", default: DEFAULT_OUTDIR } } });
  try {
    const r = await buildServices({ outdir: values.outdir });
    const size = (f: string) => `${Math.round(statSync(f).size / 1024)} KiB`;
    for (const o of r.outputs) console.log(`${path.relative(process.cwd(), o) || o}  ${size(o)}`);
    console.log(`built the agent API and the workers from ${r.inputs} sources in ${Math.round(r.ms)} ms`);
  } catch (err) {
    // esbuild's own message lists every error with its file and line.
    console.error((err as Error).message);
    process.exit(1);
  }
}
