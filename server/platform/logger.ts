import cluster from "node:cluster";
import pino from "pino";
import { env } from "./env";

// Structured JSON logs. Secrets never reach a log: the redact list is a second line of
// defence for anything that carries a token by mistake.
export const logger = pino({
  level: env().LOG_LEVEL,
  // With several agent API processes on one port (cluster workers), each line says which.
  base: { service: process.env.ISTHMUS_SERVICE ?? "web", ...(cluster.isWorker ? { process: cluster.worker?.id } : {}) },
  redact: {
    paths: [
      "token",
      "credential",
      "password",
      "secret",
      "*.token",
      "*.credential",
      "*.password",
      "*.secret",
      "req.headers.authorization",
      "req.headers.cookie",
      "headers.authorization",
      "headers.cookie",
    ],
    censor: "[redacted]",
  },
});
