// The agent's install manifests for one registration token, as served at
// /api/agent/v1/install/<id>.yaml. They are deploy/agent's own files (the resources of
// its kustomization, in that order, comments kept), with three values filled in: the
// token in the Secret, this control plane's public URL as ISTHMUS_SERVER, and the agent
// image. Nothing else changes, so the RBAC a reviewer approved in deploy/agent is
// exactly what a one-line import applies.
//
// The image defaults to deploy/agent's tagged with AGENT_VERSION, as the
// kustomization's `images:` tags it: never a tag that stays the same across releases
// (:latest with IfNotPresent), so applying a newer control plane's manifests upgrades
// the agent, which is what the console's "outdated agent" hint asks for.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments, parseDocument, type Document } from "yaml";
import { AGENT_VERSION } from "../../protocol/version";

export const AGENT_MANIFEST_DIR = path.resolve(import.meta.dirname, "../../deploy/agent");

export interface InstallValues {
  /** The control plane's public URL; the agent dials it (ISTHMUS_SERVER). */
  server: string;
  /** The registration token, written into the isthmus-agent-token Secret. */
  token: string;
  /** Container image of the agent, the whole reference; unset: deploy/agent's at AGENT_VERSION. */
  image?: string;
}

let sources: string[] | undefined;

/** The kustomization's resource files, read once per process. */
function manifestSources(dir = AGENT_MANIFEST_DIR): string[] {
  if (sources && dir === AGENT_MANIFEST_DIR) return sources;
  const kustomization = parseDocument(readFileSync(path.join(dir, "kustomization.yaml"), "utf8")).toJS() as { resources?: string[] };
  const files = (kustomization.resources ?? []).map((f) => readFileSync(path.join(dir, f), "utf8"));
  if (dir === AGENT_MANIFEST_DIR) sources = files;
  return files;
}

/** An image reference without its tag or digest (a registry's port is not a tag). */
export function imageName(ref: string): string {
  const name = ref.split("@")[0]!;
  const slash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return colon > slash ? name.slice(0, colon) : name;
}

function fill(doc: Document, v: InstallValues) {
  const kind = doc.get("kind");
  const name = doc.getIn(["metadata", "name"]);
  if (kind === "Secret" && name === "isthmus-agent-token") doc.setIn(["stringData", "token"], v.token);
  if (kind !== "Deployment" || name !== "isthmus-agent") return;
  const containers = doc.getIn(["spec", "template", "spec", "containers"]) as { items: Array<{ get(k: string): unknown; set(k: string, v: unknown): void }> };
  for (const c of containers.items) {
    if (c.get("name") !== "agent") continue;
    c.set("image", v.image ?? `${imageName(String(c.get("image")))}:${AGENT_VERSION}`);
    const envList = c.get("env") as { items: Array<{ get(k: string): unknown; set(k: string, v: unknown): void }> };
    const server = envList.items.find((e) => e.get("name") === "ISTHMUS_SERVER");
    if (!server) throw new Error("deploy/agent/deployment.yaml: the agent container has no ISTHMUS_SERVER variable");
    server.set("value", v.server);
  }
}

/** Multi-document YAML: Namespace, ServiceAccount, RBAC, the token Secret, the Deployment. */
export function renderAgentInstall(v: InstallValues, dir = AGENT_MANIFEST_DIR): string {
  const out: string[] = [];
  for (const text of manifestSources(dir)) {
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length) throw doc.errors[0];
      if (doc.contents === null) continue;
      fill(doc as Document, { ...v, server: v.server.replace(/\/+$/, "") });
      // Each source document after the first keeps its own "---"; the join adds one.
      out.push(
        doc
          .toString({ lineWidth: 0, flowCollectionPadding: false })
          .replace(/^---\n/, "")
          .trimEnd(),
      );
    }
  }
  return out.join("\n---\n") + "\n";
}
