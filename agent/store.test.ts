import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { silentLogger } from "./logger";
import { clusterStateDir, FallbackStore, FileStore, loadForServer, type AgentStore } from "./store";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "isthmus-store-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const cred = { clusterId: "c1", credential: "isa_a.b", uid: "u-1", server: "https://cp-a" };

describe("FileStore", () => {
  it("keeps one directory per cluster with a private credential file", async () => {
    const store = new FileStore(clusterStateDir(dir, "u-1/../x"));
    await store.saveCredential(cred);
    await store.saveState({ appliedRevision: 2, appliedHash: "h", seq: 5 });
    expect(store.dir).toBe(path.join(dir, "clusters", "u-1_.._x"));
    expect((await stat(path.join(store.dir, "credential.json"))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path.join(store.dir, "credential.json"), "utf8"))).toEqual(cred);
    expect(await store.loadState()).toEqual({ appliedRevision: 2, appliedHash: "h", seq: 5 });
  });
});

describe("loadForServer", () => {
  it("reuses credential and state from the same control plane", async () => {
    const store = new FileStore(dir);
    await store.saveCredential(cred);
    await store.saveState({
      server: "https://cp-a",
      appliedRevision: 4,
      appliedHash: "h4",
      seq: 10,
      pendingAck: { revision: 4, hash: "h4", status: "APPLIED" },
    });
    const got = await loadForServer(store, "u-1", "https://cp-a", silentLogger);
    expect(got.cred).toEqual(cred);
    expect(got.state).toMatchObject({ appliedRevision: 4, pendingAck: { revision: 4 } });
  });

  it("starts over with another control plane but keeps what the target applied", async () => {
    const store = new FileStore(dir);
    await store.saveCredential(cred);
    await store.saveState({
      server: "https://cp-a",
      appliedRevision: 4,
      appliedHash: "h4",
      seq: 10,
      pendingAck: { revision: 4, hash: "h4", status: "APPLIED" },
      target: { applied: ["x"] },
    });
    const got = await loadForServer(store, "u-1", "https://cp-b", silentLogger);
    expect(got.cred).toBeNull();
    expect(got.state).toEqual({ server: "https://cp-b", appliedRevision: 0, appliedHash: "", seq: 10, target: { applied: ["x"] } });
  });

  it("treats unreadable files as missing instead of crashing", async () => {
    const store = new FileStore(dir);
    await writeFile(path.join(dir, "credential.json"), "{not json");
    const got = await loadForServer(store, "u-1", "https://cp-a", silentLogger);
    expect(got.cred).toBeNull();
    expect(got.state.appliedRevision).toBe(0);
  });
});

describe("FallbackStore", () => {
  it("uses the fallback when the primary fails", async () => {
    const broken: AgentStore = {
      loadCredential: () => Promise.reject(new Error("forbidden")),
      saveCredential: () => Promise.reject(new Error("forbidden")),
      loadState: () => Promise.reject(new Error("forbidden")),
      saveState: () => Promise.reject(new Error("forbidden")),
      describe: () => "broken",
    };
    const files = new FileStore(dir);
    const store = new FallbackStore(broken, files, silentLogger);
    await store.saveCredential(cred);
    expect(await files.loadCredential()).toEqual(cred);
    expect(await store.loadCredential()).toEqual(cred);
  });
});
