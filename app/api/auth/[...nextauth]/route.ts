import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { throttleKeys, waitSeconds } from "@/server/auth/signin-throttle";
import { signInOrigin } from "@/server/auth/user-sessions";
import { env } from "@/server/platform/env";
import { clientAddressFromHeaders } from "@/server/http/client-address";
import { tooManyAttempts } from "@/server/auth/authenticate";
import { normalizeEmail } from "@/server/users/email";

// A throttled sign-in is answered here with 429 and Retry-After, before next-auth (which
// can only answer 401) and before any password is checked. The throttle itself is
// enforced again, atomically, inside authorize(): this is the HTTP face of it.
async function throttled(req: Request, address: string | null): Promise<Response | null> {
  if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/callback/credentials")) return null;
  const form = await req
    .clone()
    .formData()
    .catch(() => null);
  const email = form?.get("email");
  if (typeof email !== "string") return null;
  const wait = await waitSeconds(throttleKeys(normalizeEmail(email), address), Date.now());
  if (!wait) return null;
  const message = tooManyAttempts(wait).message;
  // next-auth's signIn() reads the error from `url`, so the form shows the message.
  const url = new URL("/signin", env().PUBLIC_URL);
  url.searchParams.set("error", message);
  return Response.json({ url: url.toString(), error: message }, { status: 429, headers: { "retry-after": String(wait), "cache-control": "no-store" } });
}

const handler = async (req: Request, ctx: unknown) => {
  const sourceIp = clientAddressFromHeaders(req.headers);
  const refused = await throttled(req, sourceIp);
  if (refused) return refused;
  return signInOrigin.run({ sourceIp, userAgent: req.headers.get("user-agent") }, () => NextAuth(authOptions())(req, ctx));
};
export { handler as GET, handler as POST };
