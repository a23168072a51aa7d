// Namespace isolation of a slice, compiled into the NetworkPolicies one member cluster
// applies, and a validator that checks manifests against the upstream Kubernetes
// OpenAPI schema (the same document the API server publishes).
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";
import { MANAGED_BY_LABEL } from "../netpol/compile";
import type { NamespaceIsolation } from "./stored-slice";
import { REPO_ROOT } from "../platform/paths";

export const SLICE_LABEL = "isthmus.io/slice";
const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: "In"; values: string[] }[];
}

export interface NetworkPolicyPeer {
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

export interface NetworkPolicy {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: {
    podSelector: LabelSelector;
    policyTypes: ["Ingress"];
    ingress?: { from: NetworkPolicyPeer[] }[];
  };
}

export type IsolationSlice = { name: string; subnet: string; namespaceIsolation: NamespaceIsolation } & {
  /** ALLOW_WITHIN_SLICE (absent) opens the slice to itself; DENY_BY_DEFAULT leaves that to connectivity policies. */
  defaultPosture?: "ALLOW_WITHIN_SLICE" | "DENY_BY_DEFAULT";
};

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function namesOn(entries: NamespaceIsolation["applicationNamespaces"], clusterName: string): string[] {
  const names = entries.filter((e) => e.clusters.includes("*") || e.clusters.includes(clusterName)).map((e) => e.namespace);
  return [...new Set(names)].sort();
}

function policyName(slice: string, suffix: string): string {
  const name = `isthmus-${slice}-${suffix}`;
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) throw new Error(`slice name ${slice} gives an invalid object name ${name}`);
  return name;
}

function namespaceIn(values: string[]): NetworkPolicyPeer {
  return { namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: "In", values }] } };
}

/**
 * For each application namespace of the slice on this cluster: deny all ingress, then
 * allow it from the slice's application namespaces here, from its allowed namespaces,
 * and from the slice subnet (remote members' pods arrive through the gateway with
 * slice overlay addresses). Egress stays open: closing it would also cut DNS and the
 * API server, which isolation is not meant to touch. Sorted, with keys in a fixed
 * order, so the bundle hash only changes when the policies do.
 */
export function compileIsolationManifests(slice: IsolationSlice, clusterName: string): NetworkPolicy[] {
  const iso = slice.namespaceIsolation;
  if (!iso.enabled) return [];
  const appNamespaces = namesOn(iso.applicationNamespaces, clusterName);
  const allowed = namesOn(iso.allowedNamespaces, clusterName);
  const labels = { [MANAGED_BY_LABEL]: "isthmus", [SLICE_LABEL]: slice.name };
  // Deny by default: only the allowed namespaces (monitoring, ingress) stay open; the
  // slice's own traffic, here and from other members, is what policies allow.
  const denyByDefault = slice.defaultPosture === "DENY_BY_DEFAULT";
  const from: NetworkPolicyPeer[] = denyByDefault ? [] : [namespaceIn(appNamespaces)];
  if (allowed.length > 0) from.push(namespaceIn(allowed));
  if (!denyByDefault) from.push({ ipBlock: { cidr: slice.subnet } });

  const out: NetworkPolicy[] = [];
  for (const namespace of appNamespaces) {
    if (from.length > 0)
      out.push({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: policyName(slice.name, "allow-slice"), namespace, labels: { ...labels } },
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: structuredClone(from) }] },
      });
    out.push({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: policyName(slice.name, "default-deny-ingress"), namespace, labels: { ...labels } },
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    });
  }
  return out;
}

export type ManifestValidation = { valid: true; errors: [] } | { valid: false; errors: string[] };

/** Upstream OpenAPI v3 documents by group/version (schemas/upstream/kubernetes, see SOURCES.md there). */
const SPEC_FILES: Record<string, string> = {
  v1: "api__v1_openapi.json",
  "networking.k8s.io/v1": "apis__networking.k8s.io__v1_openapi.json",
  "apps/v1": "apis__apps__v1_openapi.json",
  "rbac.authorization.k8s.io/v1": "apis__rbac.authorization.k8s.io__v1_openapi.json",
};
const GROUP_VERSION = "networking.k8s.io/v1";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * OpenAPI → JSON Schema: refs point at `definitions`; int-or-string (declared either as
 * `format: int-or-string` or with the `x-kubernetes-int-or-string` extension, depending
 * on the spec version) becomes integer-or-string; and objects with declared properties
 * reject unknown fields, as the API server does under strict field validation (the
 * kubectl default), so a misspelt field fails here instead of being dropped silently.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  if (node["x-kubernetes-int-or-string"] === true || node.format === "int-or-string") {
    return { anyOf: [{ type: "integer" }, { type: "string" }] };
  }
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = key === "$ref" && typeof value === "string" ? value.replace("#/components/schemas/", "#/definitions/") : toJsonSchema(value);
  }
  if (node.type === "object" && node.properties && !("additionalProperties" in node) && !node["x-kubernetes-preserve-unknown-fields"]) {
    out.additionalProperties = false;
  }
  return out;
}

interface GroupValidators {
  ajv: Ajv;
  id: string;
  /** Kind → its definition's key; compiled on first use (the core document has hundreds of kinds). */
  keys: Map<string, string>;
  compiled: Map<string, ValidateFunction>;
}

const groups = new Map<string, GroupValidators>();

function loadGroup(groupVersion: string): GroupValidators | undefined {
  const cached = groups.get(groupVersion);
  if (cached) return cached;
  const file = SPEC_FILES[groupVersion];
  if (!file) return undefined;
  const doc = JSON.parse(readFileSync(path.join(REPO_ROOT, "schemas/upstream/kubernetes", file), "utf8")) as { components: { schemas: Record<string, Json> } };
  const definitions = toJsonSchema(doc.components.schemas as Json) as Record<string, Json>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  const id = `k8s-${groupVersion.replace("/", "-")}.json`;
  ajv.addSchema({ $id: id, definitions });
  const keys = new Map<string, string>();
  for (const [key, schema] of Object.entries(doc.components.schemas)) {
    const gvks = (schema as { "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[] })["x-kubernetes-group-version-kind"];
    const gvk = gvks?.find((g) => (g.group ? `${g.group}/${g.version}` : g.version) === groupVersion);
    if (gvk) keys.set(gvk.kind, key);
  }
  const g = { ajv, id, keys, compiled: new Map<string, ValidateFunction>() };
  groups.set(groupVersion, g);
  return g;
}

function validatorFor(groupVersion: string, kind: unknown): ValidateFunction | undefined {
  const g = loadGroup(groupVersion);
  const key = typeof kind === "string" ? g?.keys.get(kind) : undefined;
  if (!g || !key || typeof kind !== "string") return undefined;
  let v = g.compiled.get(kind);
  if (!v) {
    v = g.ajv.compile({ $ref: `${g.id}#/definitions/${key}` });
    g.compiled.set(kind, v);
  }
  return v;
}

function check(validate: ValidateFunction, obj: unknown): ManifestValidation {
  const errors: string[] = [];
  if (!validate(obj)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === "additionalProperties" ? `: ${(e.params as { additionalProperty: string }).additionalProperty}` : "";
      errors.push(`${e.instancePath || "/"} ${e.message}${extra}`);
    }
  }
  // The API server requires a name even though the OpenAPI schema leaves it optional.
  const name = (obj as { metadata?: { name?: unknown } }).metadata?.name;
  if (typeof name !== "string" || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    errors.push("/metadata/name must be a DNS-1123 subdomain of at most 253 characters");
  }
  return errors.length === 0 ? { valid: true, errors: [] } : { valid: false, errors };
}

/** CRDs of network-policy-api v0.1.8, standard channel (schemas/upstream/network-policy-api). */
const CRD_FILES: Record<string, string> = {
  AdminNetworkPolicy: "network-policy-api/policy.networking.k8s.io_adminnetworkpolicies.yaml",
  BaselineAdminNetworkPolicy: "network-policy-api/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml",
};
const crdValidators = new Map<string, ValidateFunction>();

/** A CRD's openAPIV3Schema for one version, strict about unknown fields as kubectl's strict field validation is. */
function crdValidator(kind: string, version: string): ValidateFunction | undefined {
  const file = CRD_FILES[kind];
  if (!file) return undefined;
  const key = `${kind}/${version}`;
  let v = crdValidators.get(key);
  if (!v) {
    const crd = parseYaml(readFileSync(path.join(REPO_ROOT, "schemas/upstream", file), "utf8")) as {
      spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Json } }> };
    };
    const ver = crd.spec.versions.find((x) => x.name === version);
    if (!ver) return undefined;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
    ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
    const schema = toJsonSchema(ver.schema.openAPIV3Schema) as { [key: string]: Json };
    // metadata is the API server's ObjectMeta, which the CRD leaves open.
    v = ajv.compile({ ...schema, properties: { ...(schema.properties as { [key: string]: Json }), metadata: { type: "object" } } });
    crdValidators.set(key, v);
  }
  return v;
}

/**
 * Validates an object of any group/version there is an upstream document for (core v1,
 * networking.k8s.io/v1, apps/v1, rbac.authorization.k8s.io/v1): deploy manifests as
 * well as compiled ones.
 */
export function validateUpstream(obj: unknown): ManifestValidation {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return { valid: false, errors: ["/ must be an object"] };
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  if (apiVersion === "policy.networking.k8s.io/v1alpha1") {
    const validate = crdValidator(String(kind), "v1alpha1");
    if (!validate) return { valid: false, errors: [`/kind ${JSON.stringify(kind)} is not a kind of ${apiVersion}`] };
    return check(validate, obj);
  }
  if (typeof apiVersion !== "string" || !SPEC_FILES[apiVersion])
    return { valid: false, errors: [`/apiVersion ${JSON.stringify(apiVersion)} has no upstream schema here`] };
  const validate = validatorFor(apiVersion, kind);
  if (!validate) return { valid: false, errors: [`/kind ${JSON.stringify(kind)} is not a kind of ${apiVersion}`] };
  return check(validate, obj);
}

/** Validates any networking.k8s.io/v1 object (NetworkPolicy above all) against the upstream schema. */
export function validateManifest(obj: unknown): ManifestValidation {
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) return { valid: false, errors: ["/ must be an object"] };
  const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
  if (apiVersion !== GROUP_VERSION) return { valid: false, errors: [`/apiVersion must be ${GROUP_VERSION}, got ${JSON.stringify(apiVersion)}`] };
  const validate = validatorFor(GROUP_VERSION, kind);
  if (!validate) return { valid: false, errors: [`/kind ${JSON.stringify(kind)} is not a kind of ${GROUP_VERSION}`] };
  return check(validate, obj);
}
