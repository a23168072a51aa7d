// Keeps the agent's credential and state in a Secret in its own namespace: pods are
// rescheduled, emptyDirs vanish, and re-enrolling on every reschedule would need the
// (often single-use) registration token again.
import { readFileSync } from "node:fs";
import type { CoreV1Api, V1Secret } from "@kubernetes/client-node";
import type { AgentState, AgentStore, StoredCredential } from "../store";
import { MANAGED_BY_LABEL, MANAGED_BY_VALUE } from "../kube-plan";

export const STATE_SECRET_NAME = "isthmus-agent-state";

export function podNamespace(env: Record<string, string | undefined> = process.env): string {
  if (env.POD_NAMESPACE) return env.POD_NAMESPACE;
  try {
    return readFileSync("/var/run/secrets/kubernetes.io/serviceaccount/namespace", "utf8").trim();
  } catch {
    return "isthmus-system";
  }
}

const statusOf = (err: unknown) => (err as { code?: number }).code;

export class SecretStore implements AgentStore {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly core: CoreV1Api,
    private readonly namespace: string,
    private readonly name = STATE_SECRET_NAME,
  ) {}

  private async read(): Promise<V1Secret | null> {
    try {
      return await this.core.readNamespacedSecret({ name: this.name, namespace: this.namespace });
    } catch (err) {
      if (statusOf(err) === 404) return null;
      throw err;
    }
  }

  private async get(key: string): Promise<unknown | null> {
    const raw = (await this.read())?.data?.[key];
    return raw ? JSON.parse(Buffer.from(raw, "base64").toString("utf8")) : null;
  }

  // Writes are serialised: credential and state share one Secret, and a replace based
  // on a stale read would drop the other key.
  private put(key: string, value: unknown): Promise<void> {
    const run = async () => {
      for (let attempt = 0; ; attempt++) {
        const current = await this.read();
        const data = { ...(current?.data ?? {}), [key]: Buffer.from(JSON.stringify(value)).toString("base64") };
        try {
          if (!current) {
            const body: V1Secret = { metadata: { name: this.name, namespace: this.namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE } }, type: "Opaque", data };
            await this.core.createNamespacedSecret({ namespace: this.namespace, body });
          } else {
            await this.core.replaceNamespacedSecret({ name: this.name, namespace: this.namespace, body: { ...current, data } });
          }
          return;
        } catch (err) {
          if (attempt < 2 && (statusOf(err) === 409 || statusOf(err) === 404)) continue;
          throw err;
        }
      }
    };
    const next = this.chain.then(run, run);
    this.chain = next.catch(() => {});
    return next;
  }

  async loadCredential() {
    return (await this.get("credential.json")) as StoredCredential | null;
  }
  saveCredential(cred: StoredCredential) {
    return this.put("credential.json", cred);
  }
  async loadState() {
    return (await this.get("state.json")) as AgentState | null;
  }
  saveState(state: AgentState) {
    return this.put("state.json", state);
  }
  describe() {
    return `secret:${this.namespace}/${this.name}`;
  }
}
