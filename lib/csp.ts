// The console's Content Security Policy. Scripts run only with this response's nonce
// ('strict-dynamic' lets those scripts load the chunks they need), so an injected
// <script> or inline handler does not run. Styles keep 'unsafe-inline': the component
// library sets style attributes, which nonces cannot cover.
export const NONCE_HEADER = "x-nonce";

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'unsafe-eval' in development only: React's dev tooling evaluates code.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}
