// `isthmus netpol list`: the policy engine over a folder of manifests. Works offline
// and needs neither the database nor Redis: it imports only the pure engine.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { FORMATS, analyze, format, parseManifests, type Format, type ManifestFile } from "../server/netpol/engine";

export const NETPOL_USAGE = `  isthmus netpol list --dir PATH [--output txt|json|csv|md] [--explain]`;

const MANIFEST = /\.(ya?ml|json)$/i;

function manifestFiles(dir: string): ManifestFile[] {
  const out: ManifestFile[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      // A symlink to a file is read; one to a folder is not followed (it could loop).
      else if ((entry.isFile() || (entry.isSymbolicLink() && statSync(p, { throwIfNoEntry: false })?.isFile())) && MANIFEST.test(entry.name)) {
        out.push({ path: path.relative(dir, p), text: readFileSync(p, "utf8") });
      }
    }
  };
  walk(dir);
  return out;
}

/** Returns the exit code: 0 done, 2 bad usage. */
export function netpolCommand(argv: string[], out: (text: string) => void, err: (line: string) => void): number {
  const usage = (message: string) => {
    err(`isthmus: netpol ${message}\nUsage:\n${NETPOL_USAGE}`);
    return 2;
  };
  if (argv[0] !== "list") return usage(argv[0] ? `has no subcommand "${argv[0]}"` : "needs a subcommand");
  let values: { dir?: string; output?: string; explain?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: { dir: { type: "string" }, output: { type: "string", short: "o" }, explain: { type: "boolean" }, help: { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return usage(`list: ${(e as Error).message.split(". ")[0]}`);
  }
  if (values.help) {
    out(`Usage:\n${NETPOL_USAGE}\n`);
    return 0;
  }
  if (!values.dir) return usage("list: missing --dir");
  const fmt = (values.output ?? "txt") as Format;
  if (!FORMATS.includes(fmt)) return usage(`list: --output must be one of ${FORMATS.join(", ")}, got "${values.output}"`);
  let stat;
  try {
    stat = statSync(values.dir);
  } catch {
    return usage(`list: --dir ${values.dir} does not exist`);
  }
  if (!stat.isDirectory()) return usage(`list: --dir ${values.dir} is not a folder`);

  const { inventory, warnings } = parseManifests(manifestFiles(values.dir));
  for (const w of warnings) err(`warning: ${w}`);
  out(format(analyze(inventory, { explain: values.explain }), fmt, values.explain));
  return 0;
}
