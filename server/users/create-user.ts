import { AppError, isUniqueViolation } from "../platform/errors";
import { db } from "../platform/db/client";
import { hashPassword } from "./password";
import { ZCreateUserInput, type CreateUserInput } from "./schema";
import { parseInput } from "../platform/validation";

/** Create a password account. Emails are stored lower-case and are unique. */
export async function createUser(input: CreateUserInput) {
  const data = parseInput(ZCreateUserInput, input);
  const passwordHash = await hashPassword(data.password);
  try {
    return await db().user.create({
      data: { email: data.email, name: data.name ?? null, passwordHash },
      select: { id: true, email: true, name: true, createdAt: true },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", `email: ${data.email} already has an account`, undefined, { cause: err });
    throw err;
  }
}
