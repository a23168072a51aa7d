// Whether `npm start` must run `next build` again: the build is older than a source
// it reads. The generated Prisma client is not a source here: `npm install`'s
// postinstall rewrites it with the same content and a new mtime, and that alone must
// not cost a rebuild. The schema it is generated from is the source that counts (and
// package-lock.json, for Prisma's version).
//
// package-lock.json is compared by content, not by time: `npm install` writes it out
// again even when nothing was installed or changed, so its mtime says nothing. Its hash
// at build time is kept beside the build (BUILD_STAMP); a lockfile newer than the build
// with that same hash is the same lockfile.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** What `next build` reads. Tests are left out so editing one does not force a build. */
export const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "server",
  "protocol",
  "public",
  "styles",
  "prisma/schema.prisma",
  "next.config.js",
  "tsconfig.json",
  "postcss.config.mjs",
  "package.json",
  "package-lock.json",
];
/** Inputs that tools rewrite unchanged: a newer mtime counts only with different content. */
export const CONTENT_INPUTS = ["package-lock.json"];
/** Beside Next.js's BUILD_ID, so removing .next removes it too. */
export const BUILD_STAMP = ".next/isthmus-build-inputs.json";
const IGNORED = /(^|\/)(node_modules|\.next|\.data)(\/|$)|\.test\.tsx?$|(^|\/)server\/platform\/db\/generated(\/|$)/;

type Stamp = Record<string, string | null>;

function newestMtime(root: string, rel: string): number {
  const p = path.join(root, rel);
  if (!existsSync(p) || IGNORED.test(rel)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, entry) => Math.max(m, newestMtime(root, path.join(rel, entry))), st.mtimeMs);
}

const hashOf = (file: string) => (existsSync(file) ? createHash("sha256").update(readFileSync(file)).digest("hex") : null);

/** The content-compared inputs as they are now: take it before `next build`, record it after. */
export function contentStamp(root: string): Stamp {
  return Object.fromEntries(CONTENT_INPUTS.map((rel) => [rel, hashOf(path.join(root, rel))]));
}

/** Keep `stamp` (from contentStamp before the build) with the build that just succeeded. */
export function recordBuildStamp(root: string, stamp: Stamp) {
  writeFileSync(path.join(root, BUILD_STAMP), JSON.stringify(stamp, null, 2) + "\n");
}

function recordedStamp(root: string): Stamp | null {
  try {
    return JSON.parse(readFileSync(path.join(root, BUILD_STAMP), "utf8")) as Stamp;
  } catch {
    return null;
  }
}

/** Why the build in `root`/.next must be redone, or null when it is current. */
export function buildIsStale(root: string): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build yet";
  const built = statSync(buildId).mtimeMs;
  const byTime = BUILD_INPUTS.filter((p) => !CONTENT_INPUTS.includes(p));
  if (Math.max(...byTime.map((p) => newestMtime(root, p))) > built) return "sources changed since the last build";
  let recorded: Stamp | null | undefined;
  for (const rel of CONTENT_INPUTS) {
    if (newestMtime(root, rel) <= built) continue;
    recorded ??= recordedStamp(root);
    // A build without a stamp (an older `npm start`, or `npm run build`) cannot vouch for it.
    if (recorded?.[rel] !== hashOf(path.join(root, rel))) return `${rel} changed since the last build`;
  }
  return null;
}
