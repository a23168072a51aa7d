import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id baseline: m = 19 MiB, t = 2, p = 1.
// algorithm 2 is Argon2id (the package exports it as a const enum, unusable here).
const OPTIONS = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

const COMMON = new Set(["password1234", "123456789012", "qwertyuiopas", "changeme1234", "isthmus12345", "passwordpassword"]);

/** Why a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return "must be at least 12 characters";
  if (password.length > 256) return "must be at most 256 characters";
  if (new Set(password).size < 5) return "must use at least 5 different characters";
  if (COMMON.has(password.toLowerCase())) return "is too common";
  return null;
}

export const hashPassword = (password: string) => hash(password, OPTIONS);

// A fixed hash to verify against when the account does not exist, so timing does not
// reveal which emails have accounts.
let dummy: Promise<string> | undefined;
export async function verifyPassword(storedHash: string | null, password: string): Promise<boolean> {
  if (!storedHash) {
    dummy ??= hashPassword("not-a-real-password-0");
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
