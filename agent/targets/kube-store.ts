// Keeps the agent's credential and state in a Secret in its own namespace: pods are
// rescheduled, emptyDirs vanish, and re-enrolling on every reschedule would need the
// (often single-use) registration token again.
//
// Writes are replaces carrying the resourceVersion that was read, so a write based on a
// stale read fails (409) instead of overwriting. On a conflict the Secret is read again
// and the newer state wins: an agent whose state is older than what is stored (another
// replica got further, or an old pod still running during a rollout) does not write it
// back over the newer one.
import { readFileSync } from "node:fs";
import type { AgentState, AgentStore, StoredCredential } from "../store";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../kube-plan";
import { statusOf, type KubeHttp } from "./kube-http";

export const STATE_SECRET_NAME = "isthmus-agent-state";
/** A Secret holds at most 1 MiB; state larger than this is refused rather than failing in the API. */
export const MAX_STATE_BYTES = 512 * 1024;

export function podNamespace(env: Record<string, string | undefined> = process.env): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFileSync("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "utf8").trim();
  } catch {
    return "isthmus-system";
  }
}

interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; resourceVersion?: string; labels?: Record<string, string> };
  type?: string;
  data?: Record<string, string>;
}

const decode = (raw: string | undefined): unknown => (raw ? JSON.parse(Buffer.from(raw, "base64").toString("utf8")) : null);

/** State ordering: a higher applied revision, then a higher seq, is newer. */
export function newerState(a: AgentState, b: AgentState): boolean {
  return a.appliedRevision !== b.appliedRevision ? a.appliedRevision > b.appliedRevision : a.seq > b.seq;
}

export class SecretStore implements AgentStore {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly http: KubeHttp,
    private readonly namespace: string,
    private readonly name = STATE_SECRET_NAME,
  ) {}

  private get path() {
    return `/api/v1/namespaces/${this.namespace}/secrets/${this.name}`;
  }

  private async read(): Promise<Secret | null> {
    try {
      return await this.http.request<Secret>("GET", this.path);
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  private put(key: string, value: unknown, keepStored?: (stored: unknown) => boolean): Promise<void> {
    const encoded = Buffer.from(JSON.stringify(value)).toString("base64");
    if (encoded.length > MAX_STATE_BYTES) return Promise.reject(new Error(`${key} is ${encoded.length} bytes encoded, over the ${MAX_STATE_BYTES}-byte limit`));
    const run = async () => {
      for (let attempt = 0; ; attempt++) {
        const current = await this.read();
        if (current && keepStored?.(decode(current.data?.[key]))) return;
        const data = { ...(current?.data ?? {}), [key]: encoded };
        try {
          if (!current) {
            const body: Secret = {
              apiVersion: "v1",
              kind: "Secret",
              metadata: { name: this.name, namespace: this.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } },
              type: "Opaque",
              data,
            };
            await this.http.request("POST", `/api/v1/namespaces/${this.namespace}/secrets`, { body });
          } else {
            await this.http.request("PUT", this.path, { body: { ...current, data } });
          }
          return;
        } catch (err) {
          if (attempt < 4 && (statusOf(err) === 409 || statusOf(err) === 404)) continue;
          throw err;
        }
      }
    };
    // Credential and state share one Secret: serialised here, and the resourceVersion
    // guards against writers elsewhere.
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => {});
    return next;
  }

  async loadCredential() {
    return decode((await this.read())?.data?.["credential.json"]) as StoredCredential | null;
  }
  saveCredential(cred: StoredCredential) {
    return this.put("credential.json", cred);
  }
  async loadState() {
    return decode((await this.read())?.data?.["state.json"]) as AgentState | null;
  }
  saveState(state: AgentState) {
    return this.put("state.json", state, (stored) => !!stored && newerState(stored as AgentState, state));
  }
  describe() {
    return `secret:${this.namespace}/${this.name}`;
  }
}
