import pino from "pino";
import { env } from "./env";

// Structured JSON logs. Secrets never reach a log: the redact list is a second line of
// defence for anything that carries a token by mistake.
export const logger = pino({
  level: env().LOG_LEVEL,
  base: { service: process.env.ISTHMUS_SERVICE ?? "web" },
  redact: {
    paths: ["token", "credential", "password", "secret", "*.token", "*.credential", "*.password", "*.secret", "req.headers.authorization", "req.headers.cookie", "headers.authorization", "headers.cookie"],
    censor: "[redacted]",
  },
});
