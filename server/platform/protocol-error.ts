import { AppError, type AppErrorCode } from "./errors";

/**
 * An AppError that also carries the agent protocol's error code (ERROR_CODES), for
 * refusals the agent must tell apart (an expired token vs a used-up one). `subject`
 * names the tenant and token involved, when known, for the refusal's event.
 */
export class ProtocolError extends AppError {
  constructor(
    code: AppErrorCode,
    public readonly protocolCode: string,
    message: string,
    public readonly subject?: { tenantId: string; tokenId: string; tokenName: string },
    details?: { retryAfterSeconds?: number },
  ) {
    super(code, message, details);
    this.name = "ProtocolError";
  }
}
