// Whether `npm start` must run `next build` again: the build is older than a source
// it reads. The generated Prisma client is not a source here: `npm install`'s
// postinstall (which `npx isthmus` can trigger) rewrites it with the same content and a
// new mtime, and that alone must not cost a rebuild. The schema it is generated from
// is the source that counts (and package-lock.json, for Prisma's version).
import { existsSync, readdirSync, statSync } from "node:fs";
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
const IGNORED = /(^|\/)(node_modules|\.next|\.data)(\/|$)|\.test\.tsx?$|(^|\/)server\/platform\/db\/generated(\/|$)/;

function newestMtime(root: string, rel: string): number {
  const p = path.join(root, rel);
  if (!existsSync(p) || IGNORED.test(rel)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, entry) => Math.max(m, newestMtime(root, path.join(rel, entry))), st.mtimeMs);
}

/** Why the build in `root`/.next must be redone, or null when it is current. */
export function buildIsStale(root: string): string | null {
  const buildId = path.join(root, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no build yet";
  const built = statSync(buildId).mtimeMs;
  const newest = Math.max(...BUILD_INPUTS.map((p) => newestMtime(root, p)));
  return newest > built ? "sources changed since the last build" : null;
}
