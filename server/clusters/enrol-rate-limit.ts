// Enrolment attempts per source address per minute (fixed window in Redis), so a
// leaked or guessed token cannot be hammered and a crash-looping agent backs off.
import { ERROR_CODES } from "../../protocol/index";
import { redis } from "../platform/redis";
import { enrolRateKey } from "./keys";
import { ProtocolError } from "../platform/protocol-error";

export const ENROL_ATTEMPTS_PER_MINUTE = 30;

export async function checkEnrolRate(sourceIp: string, limit = ENROL_ATTEMPTS_PER_MINUTE, now = Date.now()) {
  const window = Math.floor(now / 60_000);
  const k = enrolRateKey(sourceIp, window);
  const res = await redis().multi().incr(k).expire(k, 61).exec();
  const count = Number(res?.[0]?.[1] ?? 0);
  if (count > limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * 60_000 - now) / 1000));
    throw new ProtocolError(
      "TOO_MANY_REQUESTS",
      ERROR_CODES.rateLimited,
      `too many enrolment attempts from ${sourceIp} (at most ${limit} a minute); retry in ${retryAfterSeconds} s`,
      undefined,
      { retryAfterSeconds },
    );
  }
}
