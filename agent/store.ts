// What the agent must remember across restarts, per cluster: the credential (so a
// restart does not re-enrol) and the delivery state (applied revision, an ack not yet
// delivered, what the target applied so it can prune later).
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AckRequest } from "../protocol/index";
import type { Logger } from "./logger";

export interface StoredCredential {
  clusterId: string;
  credential: string;
  uid: string;
  /** The control plane that issued it: a credential is useless against another one. */
  server: string;
}

export interface AgentState {
  /** The control plane the revision numbers below come from. */
  server?: string;
  appliedRevision: number;
  appliedHash: string;
  /** Highest heartbeat seq sent; a restart continues above it. */
  seq: number;
  pendingAck?: AckRequest;
  /** Opaque to the runner; handed back to the target on start. */
  target?: unknown;
}

export interface AgentStore {
  loadCredential(): Promise<StoredCredential | null>;
  saveCredential(cred: StoredCredential): Promise<void>;
  loadState(): Promise<AgentState | null>;
  saveState(state: AgentState): Promise<void>;
  /** Where it lives, for logs. */
  describe(): string;
}

export const CREDENTIAL_FILE = "credential.json";
export const STATE_FILE = "state.json";

/** The directory under the state dir that belongs to one cluster. */
export function clusterStateDir(stateDir: string, uid: string): string {
  return path.join(stateDir, "clusters", uid.replace(/[^A-Za-z0-9._-]/g, "_"));
}

async function readJson(file: string): Promise<unknown | null> {
  try {
    return JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

// Write-then-rename so a crash mid-write never leaves a truncated credential behind.
async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + "\n", { mode: 0o600 });
  await chmod(tmp, 0o600); // the umask may have widened it
  await rename(tmp, file);
}

export class FileStore implements AgentStore {
  constructor(readonly dir: string) {}

  async loadCredential(): Promise<StoredCredential | null> {
    return (await readJson(path.join(this.dir, CREDENTIAL_FILE))) as StoredCredential | null;
  }
  saveCredential(cred: StoredCredential): Promise<void> {
    return writeJsonAtomic(path.join(this.dir, CREDENTIAL_FILE), cred);
  }
  async loadState(): Promise<AgentState | null> {
    return (await readJson(path.join(this.dir, STATE_FILE))) as AgentState | null;
  }
  saveState(state: AgentState): Promise<void> {
    return writeJsonAtomic(path.join(this.dir, STATE_FILE), state);
  }
  describe(): string {
    return `file:${this.dir}`;
  }
}

/**
 * Uses `primary` (e.g. a Kubernetes Secret) and falls back to `fallback` (the state
 * dir) when it fails — missing RBAC or an API outage must not stop the agent, and must
 * not lose a credential that was just issued.
 */
export class FallbackStore implements AgentStore {
  private warned = false;

  constructor(
    private readonly primary: AgentStore,
    private readonly fallback: AgentStore,
    private readonly logger: Logger,
  ) {}

  private async both<T>(op: string, p: () => Promise<T>, f: () => Promise<T>): Promise<T> {
    try {
      return await p();
    } catch (err) {
      if (!this.warned) {
        this.logger.warn("state store unavailable, using the state dir", { op, store: this.primary.describe(), err });
        this.warned = true;
      }
      return f();
    }
  }

  async loadCredential() {
    const got = await this.both(
      "loadCredential",
      () => this.primary.loadCredential(),
      () => this.fallback.loadCredential(),
    );
    return got ?? (await this.fallback.loadCredential().catch(() => null));
  }
  saveCredential(cred: StoredCredential) {
    return this.both(
      "saveCredential",
      () => this.primary.saveCredential(cred),
      () => this.fallback.saveCredential(cred),
    );
  }
  async loadState() {
    const got = await this.both(
      "loadState",
      () => this.primary.loadState(),
      () => this.fallback.loadState(),
    );
    return got ?? (await this.fallback.loadState().catch(() => null));
  }
  saveState(state: AgentState) {
    return this.both(
      "saveState",
      () => this.primary.saveState(state),
      () => this.fallback.saveState(state),
    );
  }
  describe() {
    return `${this.primary.describe()} (fallback ${this.fallback.describe()})`;
  }
}

/**
 * What a starting agent may reuse. Unreadable files count as missing (re-enrol rather
 * than crash-loop). Nothing of the delivery state carries over to another control
 * plane — its revision numbers mean something else — but what the target applied
 * does: those objects are in the cluster whoever asked for them.
 */
export async function loadForServer(
  store: AgentStore,
  uid: string,
  server: string,
  logger: Logger,
): Promise<{ cred: StoredCredential | null; state: AgentState }> {
  const safe = async <T>(what: string, load: () => Promise<T | null>): Promise<T | null> => {
    try {
      return await load();
    } catch (err) {
      logger.error(`stored ${what} unreadable; starting without it`, { store: store.describe(), err });
      return null;
    }
  };
  const fresh: AgentState = { server, appliedRevision: 0, appliedHash: "", seq: 0 };
  const saved = await safe("state", () => store.loadState());
  let state: AgentState = saved ? { ...fresh, ...saved } : fresh;
  if (saved?.server && saved.server !== server) {
    logger.warn("state belongs to another control plane; delivery state reset", { previous: saved.server });
    state = { ...fresh, seq: saved.seq ?? 0, target: saved.target };
  }
  let cred = await safe("credential", () => store.loadCredential());
  if (cred && (cred.uid !== uid || cred.server !== server)) {
    logger.warn("stored credential belongs to another cluster or control plane; enrolling again");
    cred = null;
  }
  return { cred, state: { ...state, server } };
}
