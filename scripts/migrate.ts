// Database migrations without the Prisma CLI's native engine (not downloadable on
// every machine):
//   migrate.ts deploy        apply pending migrations to DATABASE_URL
//   migrate.ts new <name>    write prisma/migrations/<ts>_<name>/migration.sql, the SQL
//                            diff between the schema at the last migration (kept in
//                            prisma/migrations/schema.snapshot.prisma) and the current
//                            prisma/schema.prisma, computed by Prisma's own WebAssembly
//                            schema engine, so the SQL is what `prisma migrate dev` writes.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { MIGRATIONS_DIR, migrateDeploy } from "../server/platform/db/migrate";

async function loadEngine() {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
  // The package is built for bundlers that import .wasm files; instantiate it by hand.
  const bg = await import(path.join(pkgDir, "schema_engine_bg.js"));
  const bytes = await readFile(path.join(pkgDir, "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return bg;
}

async function newMigration(name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("migration name: use lower-case letters, digits and _");
  const schemaPath = path.resolve("prisma/schema.prisma");
  const snapshotPath = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");
  const current = await readFile(schemaPath, "utf8");
  const previous = await readFile(snapshotPath, "utf8").catch(() => null);
  const bg = await loadEngine();
  const { PrismaPg } = await import("@prisma/adapter-pg");
  // A diff between two datamodels reads no tables, but the engine wants a live adapter.
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const factory = new PrismaPg({ connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" });
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await bg.SchemaEngine.new({ datamodels: [["schema.prisma", current]] }, () => {}, adapter);
  const filters = { externalTables: [], externalEnums: [] };
  const result = await engine.diff({
    from: previous ? { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: previous }] } : { tag: "empty" },
    to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: current }] },
    script: true,
    exitCode: null,
    filters,
  });
  engine.free();
  const sql: string = result.stdout ?? "";
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("schema unchanged: no migration written");
    return;
  }
  const ts = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${ts}_${name}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "migration.sql"), sql);
  await writeFile(snapshotPath, current);
  await writeFile(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
  console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === "new" && arg) await newMigration(arg);
else if (cmd === "deploy") {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is required");
  const applied = await migrateDeploy(url, console.log);
  console.log(applied.length ? `${applied.length} migration(s) applied` : "database is up to date");
} else {
  console.error("usage: migrate.ts deploy | migrate.ts new <name>");
  process.exit(2);
}
