// Limits of the registration tokens an agent enrols with, shared by the server's
// validation and the console's form (which must not offer what the server refuses).

/** The longest a registration token may stay redeemable: 30 days. */
export const MAX_TTL_SECONDS = 30 * 24 * 3600;
