// isthmus — administration from a shell, against DATABASE_URL, acting as SYSTEM ("cli").
// The same services as the console, so the same rules and audit rows.
// First: fills DATABASE_URL from .data/env before any service reads the environment.
import { localEnv } from "./boot";
import { parseArgs } from "node:util";
import { createApiToken } from "../server/api-tokens/api-tokens";
import { ROLES, type Role } from "../server/platform/roles";
import { systemActor, type TenantContext } from "../server/platform/context";
import { withTenantScope } from "../server/platform/db/tenant-scope";
import { closeDb, db } from "../server/platform/db/client";
import { AppError } from "../server/platform/errors";
import { addMember } from "../server/members/add-member";
import { createTenant } from "../server/tenants/create-tenant";
import { createUser } from "../server/users/create-user";

export const USAGE = `Usage:
  isthmus user create --email E --password P
  isthmus tenant create --slug S --name N --owner E
  isthmus member add --tenant S --email E --role R
  isthmus api-token create --tenant S --role R [--expires-days N] [--name N]
  isthmus netpol list --dir PATH [--output txt|json|csv|md] [--explain]

Roles: ${ROLES.join(", ")}. api-token create prints only the token on stdout.
Connects to DATABASE_URL, or, when it is unset, to the database \`npm start\` uses
in this checkout (.data/env); every change is audited as SYSTEM "cli".
netpol list reads manifests from a folder and needs no database.`;

class UsageError extends Error {}

const COMMANDS = {
  "user create": { email: true, password: true },
  "tenant create": { slug: true, name: true, owner: true },
  "member add": { tenant: true, email: true, role: true },
  "api-token create": { tenant: true, role: true, "expires-days": false, name: false },
} as const satisfies Record<string, Record<string, boolean>>;
type Command = keyof typeof COMMANDS;

// Service errors name the input field; say the flag instead.
const FLAG_OF: Record<string, string> = {
  expiresInDays: "--expires-days",
  email: "--email",
  password: "--password",
  slug: "--slug",
  name: "--name",
  role: "--role",
};
const flagged = (message: string) =>
  message
    .split("\n")
    .map((line) => line.replace(/^(\w+):/, (m, f: string) => (FLAG_OF[f] ? `${FLAG_OF[f]}:` : m)))
    .join("; ");

function parseRole(v: string): Role {
  const role = v.toUpperCase() as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}, got "${v}"`);
  return role;
}

async function ownerContext(slug: string): Promise<TenantContext> {
  const tenant = await db().tenant.findUnique({ where: { slug: slug.trim().toLowerCase() }, select: { id: true, slug: true } });
  if (!tenant) throw new AppError("NOT_FOUND", `unknown tenant: ${slug}`);
  return { tenantId: tenant.id, tenantSlug: tenant.slug, role: "OWNER", actor: systemActor("cli") };
}

async function userIdByEmail(flag: string, email: string) {
  const user = await db().user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true, email: true } });
  if (!user) throw new AppError("NOT_FOUND", `unknown user: ${email} (${flag}); create it with \`isthmus user create\``);
  return user;
}

async function run(command: Command, f: Record<string, string>, out: (line: string) => void, note: (line: string) => void) {
  switch (command) {
    case "user create": {
      const u = await createUser({ email: f.email, password: f.password });
      return out(`created user ${u.email} (${u.id})`);
    }
    case "tenant create": {
      const owner = await userIdByEmail("--owner", f.owner);
      const t = await createTenant(systemActor("cli"), owner.id, { slug: f.slug, name: f.name });
      return out(`created tenant ${t.slug} (${t.id}) owned by ${owner.email}`);
    }
    case "member add": {
      const role = parseRole(f.role);
      const ctx = await ownerContext(f.tenant);
      const m = await withTenantScope(ctx.tenantId, () => addMember(ctx, { email: f.email!, role }));
      return out(`added ${m.email} to ${f.tenant} as ${m.role}`);
    }
    case "api-token create": {
      const role = parseRole(f.role);
      const days = f["expires-days"];
      if (days !== undefined && !/^\d+$/.test(days)) throw new UsageError(`--expires-days must be a whole number of days, got "${days}"`);
      const ctx = await ownerContext(f.tenant);
      const t = await withTenantScope(ctx.tenantId, () =>
        createApiToken(ctx, {
          name: f.name ?? `cli ${new Date().toISOString().slice(0, 10)}`,
          role,
          expiresInDays: days === undefined ? undefined : Number(days),
        }),
      );
      note(`API token "${t.name}" (${t.role}) for ${ctx.tenantSlug}, expires ${t.expiresAt.toISOString()}; it is shown only now.`);
      return out(t.token);
    }
  }
}

function parse(argv: string[]): { help: true } | { help: false; command: Command; flags: Record<string, string> } {
  if (argv.length === 0) throw new UsageError("no command given");
  if (argv[0] === "help" || argv[0] === "--help" || argv[0] === "-h") return { help: true };
  const command = `${argv[0]} ${argv[1] ?? ""}`.trim();
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command: ${command}`);
  const spec: Record<string, boolean> = COMMANDS[command as Command];
  const options = Object.fromEntries([...Object.keys(spec), "help"].map((k) => [k, { type: k === "help" ? "boolean" : "string" } as const]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv.slice(2), options, strict: true, allowPositionals: false }));
  } catch (err) {
    // node:util's messages are long and mention internals; keep the first sentence.
    throw new UsageError(`${command}: ${(err as Error).message.split(". ")[0]}`);
  }
  if (values.help) return { help: true };
  const missing = Object.entries(spec)
    .filter(([k, required]) => required && values[k] === undefined)
    .map(([k]) => `--${k}`);
  if (missing.length) throw new UsageError(`${command}: missing ${missing.join(", ")}`);
  return { help: false, command: command as Command, flags: values as Record<string, string> };
}

/** Runs one command; returns the exit code (0 ok, 1 refused or failed, 2 bad usage). */
export async function main(argv: string[]): Promise<number> {
  const out = (line: string) => process.stdout.write(line + "\n");
  const err = (line: string) => process.stderr.write(line + "\n");
  try {
    // Offline: loaded on demand so it never opens a database connection.
    if (argv[0] === "netpol") return (await import("./netpol")).netpolCommand(argv.slice(1), (text) => process.stdout.write(text), err);
    const parsed = parse(argv);
    if (parsed.help) {
      out(USAGE);
      return 0;
    }
    await run(parsed.command, parsed.flags, out, err);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err(`isthmus: ${e.message} (see isthmus --help)`);
      return 2;
    }
    if (e instanceof AppError) {
      err(`isthmus: ${flagged(e.message)}`);
      return 1;
    }
    // Database and other errors: their last line says what went wrong.
    const lines = String((e as Error)?.message ?? e)
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    err(`isthmus: ${lines.at(-1) ?? "failed"}`);
    // The embedded PostgreSQL of `npm start` only runs while it does.
    if (localEnv && /ECONNREFUSED|reach database|connect/i.test(`${String((e as { code?: string })?.code ?? "")} ${lines.join(" ")}`)) {
      err(`isthmus: that is the database \`npm start\` uses (from ${localEnv}); is \`npm start\` running? Or set DATABASE_URL.`);
    }
    return 1;
  } finally {
    await closeDb().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
