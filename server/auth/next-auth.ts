// next-auth configuration: email + password (argon2id) and an optional generic OIDC
// provider. The session cookie is a signed JWT holding only the id of a UserSession row
// (auth/user-sessions.ts), which every request resolves: sign-out revokes it there, and
// its idle and absolute limits are enforced there.
import type { AuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { db } from "../platform/db/client";
import { env } from "../platform/env";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";
import type { SessionUser } from "../platform/principals";
import { clientAddressFromHeaders } from "../http/client-address";
import { authenticatePassword } from "./authenticate";
import { createUserSession, resolveUserSession, revokeUserSession, signInOrigin } from "./user-sessions";
import { normalizeEmail } from "../users/email";

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
  const normalized = normalizeEmail(email);
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
          const address = clientAddressFromHeaders((req?.headers ?? {}) as Record<string, string | undefined>);
          try {
            const user = await authenticatePassword(String(credentials?.email ?? ""), String(credentials?.password ?? ""), address);
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
      // The cookie carries the server-side session's id and nothing else about the user.
      async jwt({ token, user, account }) {
        if (user) {
          const userId = account?.provider === "oidc" ? await userForOidc(account.providerAccountId, user.email, user.name) : user.id;
          return { sid: await createUserSession(userId, signInOrigin.getStore()) };
        }
        return token;
      },
      async session({ session, token }) {
        // What the browser's useSession() sees; authorisation never reads it.
        const user = await resolveUserSession(token.sid as string | undefined);
        return { ...session, user: user ? { name: user.name, email: user.email } : undefined };
      },
    },
    events: {
      async signOut({ token }) {
        await revokeUserSession((token as { sid?: string } | null)?.sid);
      },
    },
    logger: {
      error: (code, metadata) => logger.warn({ code, err: metadata instanceof Error ? metadata.message : undefined }, "auth error"),
      warn: (code) => logger.warn({ code }, "auth warning"),
      debug: () => {},
    },
  };
}

/** The signed-in user of a decoded session token, or null when absent, ended, revoked or deleted. */
export async function sessionUserFromToken(token: { sid?: unknown } | null): Promise<SessionUser | null> {
  return resolveUserSession(typeof token?.sid === "string" ? token.sid : undefined);
}
