// A refused enrolment leaves a trace for the tenant (an event and an audit row), at most
// once a minute per token so an agent retrying in a loop cannot flood either table.
import { writeAudit } from "../audit/write-audit";
import { db } from "../platform/db/client";
import { logger } from "../platform/logger";
import { redis } from "../platform/redis";
import { writeEvents } from "../events/events";
import { enrolRefusalKey } from "./keys";
import type { ProtocolError } from "../platform/protocol-error";

export async function recordEnrolmentRefusal(err: ProtocolError, sourceIp: string | null) {
  const subject = err.subject;
  const first = await redis()
    .set(enrolRefusalKey(subject?.tokenId ?? `ip:${sourceIp ?? "unknown"}`), "1", "EX", 60, "NX")
    .catch(() => "OK");
  if (first !== "OK") return;
  if (!subject) {
    logger.warn({ sourceIp, code: err.protocolCode }, "enrolment refused: unknown registration token");
    return;
  }
  const message = `Enrolment from ${sourceIp ?? "an unknown address"} refused: ${err.message}`;
  await db().$transaction(async (tx) => {
    await writeEvents(tx, [
      {
        tenantId: subject.tenantId,
        clusterId: null,
        type: "cluster.enrol-refused",
        severity: "WARNING",
        message,
        data: { tokenId: subject.tokenId, code: err.protocolCode, sourceIp },
      },
    ]);
    await writeAudit(tx, {
      tenantId: subject.tenantId,
      actor: { type: "SYSTEM", label: "agent enrolment", sourceIp },
      action: "cluster.enrol-refused",
      targetType: "registration-token",
      targetId: subject.tokenId,
      after: { token: subject.tokenName, code: err.protocolCode },
    });
  });
}
