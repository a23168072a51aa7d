// One spelling of an email address, applied where input enters (sign-in, sign-up,
// invites, OIDC linking) and used for every lookup, counter and stored value after it:
// " Ops@Example.com" and "ops@example.com" are one account with one throttle counter.
// NFC, so a composed and a decomposed "é" are the same address too.
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase().normalize("NFC");
}
