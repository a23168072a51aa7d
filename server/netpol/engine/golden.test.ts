// Whole inventories under testdata/, their reports compared with the committed golden
// files. After a deliberate change: UPDATE_GOLDEN=1 npx vitest run <this file>, then
// read the diff of testdata/golden/ before committing it.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analyze, format, parseManifests, type Format, type ManifestFile } from "./index";

const TESTDATA = path.join(import.meta.dirname, "testdata");
const GOLDEN = path.join(TESTDATA, "golden");

function folder(dir: string): ManifestFile[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ya?ml|json)$/.test(e.name))
    .map((e) => {
      const p = path.join(e.parentPath, e.name);
      return { path: path.relative(dir, p), text: readFileSync(p, "utf8") };
    });
}

const CASES: Array<{ inventory: string; outputs: Array<[Format, boolean]> }> = [
  {
    inventory: "shop",
    outputs: [
      ["txt", false],
      ["txt", true],
      ["json", false],
      ["csv", false],
      ["md", false],
    ],
  },
  {
    inventory: "tiers",
    outputs: [
      ["txt", false],
      ["txt", true],
      ["json", true],
    ],
  },
];

describe("golden reports", () => {
  for (const { inventory, outputs } of CASES) {
    const { inventory: inv, warnings } = parseManifests(folder(path.join(TESTDATA, inventory)));
    for (const [fmt, explain] of outputs) {
      const file = `${inventory}${explain ? ".explain" : ""}.${fmt}`;
      it(`${inventory}: ${file}`, () => {
        const got = format(analyze(inv, { explain }), fmt, explain);
        if (process.env.UPDATE_GOLDEN) writeFileSync(path.join(GOLDEN, file), got);
        expect(got).toBe(readFileSync(path.join(GOLDEN, file), "utf8"));
      });
    }
    it(`${inventory}: warnings`, () => {
      const got = warnings.map((w) => `${w}\n`).join("");
      if (process.env.UPDATE_GOLDEN) writeFileSync(path.join(GOLDEN, `${inventory}.warnings.txt`), got);
      expect(got).toBe(readFileSync(path.join(GOLDEN, `${inventory}.warnings.txt`), "utf8"));
    });
  }
});
