// Text → KubeSlice documents. Problems of the text as a whole (too long, too many
// documents, YAML that does not parse, aliases that expand too far, text PostgreSQL
// cannot store) and documents that are not KubeSlice kinds are reported here; only
// documents worth mapping come out.
import { parseAllDocuments } from "yaml";
import { findUnstorableInput } from "../platform/validation";
import { Doc, isObj, KUBESLICE_API_VERSION, type ImportResult } from "./document";

// Limits of one import, so hostile YAML costs bounded time and memory: the text, the
// documents in it, and aliases per document (a "billion laughs" text expands a few
// aliases into gigabytes; KubeSlice documents have no use for many).
export const MAX_IMPORT_CHARS = 512 * 1024;
export const MAX_IMPORT_DOCUMENTS = 200;
export const MAX_ALIASES_PER_DOCUMENT = 50;

/** The KubeSlice documents of a YAML text (SliceConfig, SliceQoSConfig, ServiceExportConfig), each reporting into `out`. */
export function parseDocuments(yamlText: string, out: ImportResult): Doc[] {
  const docs: Doc[] = [];
  if (yamlText.length > MAX_IMPORT_CHARS) {
    out.errors.push({ document: "text", path: "", message: `must be at most ${MAX_IMPORT_CHARS / 1024} KiB` });
    return docs;
  }
  const parsedDocs = parseAllDocuments(yamlText);
  const all = Array.isArray(parsedDocs) ? parsedDocs : [parsedDocs];
  if (all.length > MAX_IMPORT_DOCUMENTS) {
    out.errors.push({ document: "text", path: "", message: `has ${all.length} documents; at most ${MAX_IMPORT_DOCUMENTS} are imported at once` });
    return docs;
  }
  all.forEach((parsed, i) => {
    const fallback = `document ${i + 1}`;
    if (parsed.errors.length > 0) {
      out.errors.push({ document: fallback, path: "", message: `not valid YAML: ${parsed.errors[0]!.message}` });
      return;
    }
    let body: unknown;
    try {
      body = parsed.toJS({ maxAliasCount: MAX_ALIASES_PER_DOCUMENT });
    } catch {
      out.errors.push({
        document: fallback,
        path: "",
        message: `uses aliases (*name) more than ${MAX_ALIASES_PER_DOCUMENT} times in expanded form; write the values out`,
      });
      return;
    }
    if (body === null || body === undefined) return;
    // YAML escapes ("\0", "\ud800") can make text PostgreSQL cannot store.
    const unstorable = findUnstorableInput(body);
    if (unstorable) {
      out.errors.push({ document: fallback, path: unstorable.field, message: unstorable.message });
      return;
    }
    if (!isObj(body)) {
      out.errors.push({ document: fallback, path: "", message: "a document must be a Kubernetes object (a mapping)" });
      return;
    }
    const name = isObj(body.metadata) && typeof body.metadata.name === "string" ? body.metadata.name : fallback;
    docs.push(new Doc(name, body, out));
  });

  for (const d of docs) {
    const { apiVersion, kind } = d.body;
    if (!["SliceConfig", "SliceQoSConfig", "ServiceExportConfig"].includes(String(kind))) {
      d.error("kind", `${String(apiVersion)} ${String(kind)} is not a KubeSlice SliceConfig; the document was skipped`);
    } else if (apiVersion !== KUBESLICE_API_VERSION) {
      d.error("apiVersion", `${String(kind)} must be ${KUBESLICE_API_VERSION}, got ${String(apiVersion)}; the document was skipped`);
    }
  }
  return docs.filter((d) => d.errorCount === 0);
}
