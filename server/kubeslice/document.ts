// The pieces every step of a KubeSlice import shares: the API constants, the result
// it reports, and Doc, one parsed document that records its own errors, ignored fields
// and warnings into that result.
import type { QosValues } from "../bundles/qos-rules";
import type { SliceSpec } from "../slices/schema";

export const KUBESLICE_API_VERSION = "controller.kubeslice.io/v1alpha1";
export const TOPOLOGY_ANNOTATION = "isthmus.io/topology";
export const DESCRIPTION_ANNOTATION = "isthmus.io/description";

export interface ImportError {
  /** metadata.name of the document, or "document N" (1-based) when it has none. */
  document: string;
  /** Dotted path in the KubeSlice document. */
  path: string;
  message: string;
}

/** A SliceQoSConfig of the import, to become (or match) a tenant QoS profile. */
export interface ImportedQosProfile {
  document: string;
  name: string;
  values: QosValues;
}

export interface ImportResult {
  slices: SliceSpec[];
  qosProfiles: ImportedQosProfile[];
  /** "<document>: <dotted path>" for every field Isthmus has no counterpart for. */
  ignoredFields: string[];
  /** Where the imported slice will behave differently from KubeSlice ("<document>: ..."). */
  warnings: string[];
  errors: ImportError[];
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// Written by the API server, not by the user: neither imported nor worth reporting.
export const SERVER_METADATA = ["uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "finalizers"];

export class Doc {
  errorCount = 0;
  constructor(
    readonly label: string,
    readonly body: Obj,
    private readonly out: ImportResult,
  ) {}
  ignore(path: string) {
    this.out.ignoredFields.push(`${this.label}: ${path}`);
  }
  error(path: string, message: string) {
    this.errorCount++;
    this.out.errors.push({ document: this.label, path, message });
  }
  warn(message: string) {
    this.out.warnings.push(`${this.label}: ${message}`);
  }
  /** The object at `path`, reporting keys outside `known` as ignored. */
  fields(value: unknown, path: string, known: readonly string[]): Obj | undefined {
    if (value === undefined || value === null) return undefined;
    if (!isObj(value)) {
      this.error(path, `${path} must be an object`);
      return undefined;
    }
    for (const key of Object.keys(value)) if (!known.includes(key)) this.ignore(`${path}.${key}`);
    return value;
  }
  list(value: unknown, path: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.error(path, `${path} must be a list`);
    return [];
  }
}
