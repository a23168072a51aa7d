// Every procedure declares what it returns, as an allow-list kept in its domain's
// schema.ts: a field a service happens to load (a secret's hash, a row's internals)
// never reaches a client, because the output schema drops every key it does not name.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { appRouter } from "./root";

type Procedure = { _def: { output?: z.ZodType; type: string } };
const procedures = Object.entries((appRouter as unknown as { _def: { procedures: Record<string, Procedure> } })._def.procedures).sort(([a], [b]) =>
  a.localeCompare(b),
);

// Columns that hold secrets in the schema (prisma/schema.prisma): none may be a key of any answer.
const SECRET_COLUMNS = ["passwordHash", "secretHash", "secretEnc", "tokenHash", "credentialHash"];

/** Every object of a JSON schema, with its path. */
function* objectsOf(node: unknown, at = "$"): Generator<{ at: string; node: Record<string, unknown> }> {
  if (Array.isArray(node)) {
    for (const [i, n] of node.entries()) yield* objectsOf(n, `${at}[${i}]`);
    return;
  }
  if (typeof node !== "object" || node === null) return;
  const obj = node as Record<string, unknown>;
  if (obj.type === "object") yield { at, node: obj };
  for (const [k, v] of Object.entries(obj)) yield* objectsOf(v, `${at}.${k}`);
}

describe("output schemas", () => {
  test("every procedure of the root router declares one", () => {
    const missing = procedures.filter(([, p]) => !p._def.output).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  test("they are allow-lists: every object names its keys, and none is a secret column", () => {
    const problems: string[] = [];
    for (const [name, p] of procedures) {
      const schema = z.toJSONSchema(p._def.output!, { io: "output", unrepresentable: "any" });
      for (const { at, node } of objectsOf(schema)) {
        const keys = Object.keys((node.properties as object | undefined) ?? {});
        if (keys.length > 0 && node.additionalProperties !== false) problems.push(`${name} ${at}: passes keys it does not name`);
        for (const k of keys.filter((k) => SECRET_COLUMNS.includes(k))) problems.push(`${name} ${at}: returns ${k}`);
      }
    }
    expect(problems).toEqual([]);
  });

  // Routers only parse, call a service and name the output; the schema itself lives in
  // the domain's schema.ts, where the console and tests can reuse it.
  test("routers name an output schema imported from a schema module, never define one inline", () => {
    const serverDir = path.resolve(import.meta.dirname, "..");
    const problems: string[] = [];
    for (const domain of readdirSync(serverDir)) {
      const file = path.join(serverDir, domain, "router.ts");
      if (!existsSync(file)) continue;
      const text = readFileSync(file, "utf8");
      const fromSchema = new Set(
        [...text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"[^"]*\/schema"/g)].flatMap((m) =>
          m[1]!
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      );
      for (const m of text.matchAll(/\.output\(([^)]*)\)?/g)) {
        const arg = m[1]!.trim();
        if (!/^Z\w+$/.test(arg) || !fromSchema.has(arg)) problems.push(`server/${domain}/router.ts: .output(${arg.slice(0, 60)}…)`);
      }
    }
    expect(problems).toEqual([]);
  });
});
