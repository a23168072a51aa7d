// next-auth configuration: email + password (argon2id) and an optional generic OIDC
// provider. Sessions are signed JWT cookies with an idle timeout (maxAge, slid forward
// on activity) and an absolute timeout counted from sign-in.
import type { AuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../db/client";
import { env } from "../env";
import { AppError } from "../errors";
import { logger } from "../logger";
import type { SessionUser } from "../trpc/context";
import { authenticatePassword } from "../users/authenticate";

function oidcProvider() {
  const e = env();
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return [];
  return [
    {
      id: "oidc",
      name: e.OIDC_NAME,
      type: "oauth" as const,
      wellKnown: `${e.OIDC_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      idToken: true,
      checks: ["pkce", "state"] as Array<"pkce" | "state">,
      authorization: { params: { scope: "openid email profile" } },
      profile(p: { sub: string; email?: string; name?: string }) {
        return { id: p.sub, email: p.email ?? null, name: p.name ?? null };
      },
    },
  ];
}

/** Link an OIDC identity to the Isthmus account with the same (verified) email, or create one. */
async function userForOidc(subject: string, email: string | null | undefined, name: string | null | undefined) {
  const identity = await db().userIdentity.findUnique({ where: { provider_subject: { provider: "oidc", subject } }, select: { userId: true } });
  if (identity) return identity.userId;
  if (!email) throw new Error("The identity provider did not send an email address.");
  const normalized = email.trim().toLowerCase();
  const user = await db().user.upsert({ where: { email: normalized }, create: { email: normalized, name: name ?? null }, update: {}, select: { id: true } });
  await db().userIdentity.create({ data: { provider: "oidc", subject, userId: user.id } });
  return user.id;
}

export function authOptions(): AuthOptions {
  const e = env();
  return {
    secret: e.NEXTAUTH_SECRET ?? "isthmus-development-secret-change-me",
    session: { strategy: "jwt", maxAge: e.SESSION_IDLE_SECONDS, updateAge: 300 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
          const ip = headers["x-forwarded-for"]?.split(",")[0]?.trim() ?? headers["x-real-ip"] ?? null;
          try {
            const user = await authenticatePassword(String(credentials?.email ?? ""), String(credentials?.password ?? ""), ip);
            return { id: user.id, email: user.email, name: user.name } satisfies User;
          } catch (err) {
            // next-auth passes this message to the sign-in page.
            if (err instanceof AppError) throw new Error(err.message);
            throw err;
          }
        },
      }),
      ...oidcProvider(),
    ],
    callbacks: {
      async jwt({ token, user, account }) {
        if (user) {
          token.authTime = Math.floor(Date.now() / 1000);
          if (account?.provider === "oidc") token.sub = await userForOidc(account.providerAccountId, user.email, user.name);
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, userId: token.sub, authTime: token.authTime };
      },
    },
    logger: {
      error: (code, metadata) => logger.warn({ code, err: metadata instanceof Error ? metadata.message : undefined }, "auth error"),
      warn: (code) => logger.warn({ code }, "auth warning"),
      debug: () => {},
    },
  };
}

/** The signed-in user of a decoded session token, or null when absent, expired or deleted. */
export async function sessionUserFromToken(token: { sub?: string; authTime?: unknown } | null): Promise<SessionUser | null> {
  if (!token?.sub) return null;
  const authTime = Number(token.authTime ?? 0);
  if (!authTime || Date.now() / 1000 - authTime > env().SESSION_ABSOLUTE_SECONDS) return null;
  return db().user.findUnique({ where: { id: token.sub }, select: { id: true, email: true, name: true } });
}
