// The heartbeat body, checked without zod when it is an ordinary one. Zod builds a new
// copy of every object it parses; at thousands of heartbeats a second that garbage was
// the agent API's largest cost. This check accepts only bodies zod would return
// unchanged: every rule of ZHeartbeatRequest holds, no key zod would strip, and no
// inventory (sent rarely; zod handles it). Anything else goes to zod, which gives the
// error message or the stripped copy. A property test holds the two together.
import { MAX_REVISION, ZHeartbeatRequest, storableText, type HeartbeatRequest } from "../../protocol/index";

// The datetime rule from the schema itself, so the two can never disagree.
const DATETIME = (() => {
  const check = (ZHeartbeatRequest.shape.sentAt._zod.def.checks ?? [])[0] as unknown as { _zod: { def: { pattern?: RegExp } } } | undefined;
  const pattern = check?._zod.def.pattern;
  if (!(pattern instanceof RegExp)) throw new Error("sentAt has no datetime pattern: the heartbeat fast check needs updating");
  return pattern;
})();

const COMPONENT_STATUS = new Set(["OK", "DEGRADED", "FAILED", "UNKNOWN"]);
const GATEWAY_STATUS = new Set(["UP", "DOWN", "DEGRADED", "UNKNOWN"]);
const TOP_KEYS = new Set(["seq", "session", "sentAt", "appliedRevision", "components", "gateways"]);
const SESSION = /^[A-Za-z0-9_-]{8,64}$/;
const COMPONENT_KEYS = new Set(["name", "status", "message"]);
const GATEWAY_KEYS = new Set(["linkId", "status", "rttMs", "lossPct", "rxBps", "txBps", "lastHandshakeAt", "reason", "endpointReachable"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, allowed: Set<string>) => {
  for (const k in o) if (!allowed.has(k)) return false;
  return true;
};
const nonNegInt = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const finiteIn = (v: unknown, min: number, max: number) => typeof v === "number" && Number.isFinite(v) && v >= min && v <= max;
// Optional fields: absent, or present and valid (zod treats an explicit undefined as absent;
// JSON cannot carry one).
const opt = (o: Record<string, unknown>, k: string, ok: (v: unknown) => boolean) => !(k in o) || ok(o[k]);
const str = (max: number) => (v: unknown) => typeof v === "string" && v.length <= max && storableText(v);

function component(c: unknown): boolean {
  return isObject(c) && onlyKeys(c, COMPONENT_KEYS) && str(128)(c.name) && COMPONENT_STATUS.has(c.status as string) && opt(c, "message", str(1024));
}

function gateway(g: unknown): boolean {
  return (
    isObject(g) &&
    onlyKeys(g, GATEWAY_KEYS) &&
    str(128)(g.linkId) &&
    GATEWAY_STATUS.has(g.status as string) &&
    opt(g, "rttMs", (v) => finiteIn(v, 0, 600_000)) &&
    opt(g, "lossPct", (v) => finiteIn(v, 0, 100)) &&
    opt(g, "rxBps", (v) => finiteIn(v, 0, Number.MAX_VALUE)) &&
    opt(g, "txBps", (v) => finiteIn(v, 0, Number.MAX_VALUE)) &&
    opt(g, "lastHandshakeAt", (v) => typeof v === "string" && DATETIME.test(v)) &&
    opt(g, "reason", str(128)) &&
    opt(g, "endpointReachable", (v) => typeof v === "boolean")
  );
}

/** The body itself when zod would return it unchanged; null when zod must decide. */
export function fastHeartbeat(body: unknown): HeartbeatRequest | null {
  if (!isObject(body) || !onlyKeys(body, TOP_KEYS)) return null;
  const { seq, sentAt, appliedRevision, components, gateways } = body;
  if (!opt(body, "session", (v) => typeof v === "string" && SESSION.test(v))) return null;
  if (!nonNegInt(seq) || !nonNegInt(appliedRevision) || (appliedRevision as number) > MAX_REVISION || typeof sentAt !== "string" || !DATETIME.test(sentAt))
    return null;
  if (!Array.isArray(components) || components.length > 64 || !Array.isArray(gateways) || gateways.length > 512) return null;
  for (const c of components) if (!component(c)) return null;
  for (const g of gateways) if (!gateway(g)) return null;
  return body as HeartbeatRequest;
}
