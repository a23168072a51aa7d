import path from "node:path";

/**
 * The repository (or install) root, for data files read at run time (upstream
 * schemas, migrations). Inside a Next.js server bundle `import.meta.dirname` does not
 * exist; there the process runs from the root, so the working directory stands in.
 */
export const REPO_ROOT = typeof import.meta.dirname === "string" ? path.resolve(import.meta.dirname, "../..") : process.cwd();
