// Which agents lag behind this control plane. The agent built from this checkout
// (protocol/version.ts, kept equal to package.json's version by its test) is the one the
// control plane expects; an older agent may lack what newer bundles need.
import { AGENT_VERSION } from "../../protocol/version";

export const CURRENT_AGENT_VERSION = AGENT_VERSION;

/** Numeric parts of a version such as "v1.2.3-rc.1" (the pre-release part is ignored). */
function parts(v: string): number[] | null {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
}

/** True when `version` is older than `current`; unknown or unparseable versions are not flagged. */
export function agentIsOutdated(version: string | null | undefined, current = CURRENT_AGENT_VERSION): boolean {
  if (!version) return false;
  const a = parts(version);
  const b = parts(current);
  if (!a || !b) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
