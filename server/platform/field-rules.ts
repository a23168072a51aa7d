// zod builders whose every message names the field and the rule ("qos.priority must be
// at most 7"), shared by the slice spec and the tenant QoS profiles.
import { z } from "zod";

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** "<field> is required" when absent, "<field> must be <type>" when of the wrong type. */
export function required(field: string, type: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? `${field} is required` : `${field} must be ${type}`);
}

export function dnsLabel(field: string) {
  return z
    .string({ error: required(field, "a string") })
    .min(1, `${field} must not be empty`)
    .max(63, `${field} must be at most 63 characters`)
    .regex(DNS_LABEL, `${field} must be a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit`);
}

export function integer(field: string, min: number, max: number) {
  return z
    .int({ error: required(field, "an integer") })
    .min(min, `${field} must be at least ${min}`)
    .max(max, `${field} must be at most ${max}`);
}

export function list<T extends z.ZodType>(field: string, item: T) {
  return z.array(item, { error: required(field, "a list") });
}

export function object<S extends z.ZodRawShape>(field: string, shape: S) {
  return z.object(shape, { error: required(field, "an object") });
}

export function description(field = "description") {
  return z.string({ error: required(field, "a string") }).max(500, `${field} must be at most 500 characters`);
}

/**
 * A cluster name as the slice spec names it: a DNS-1123 label. Its messages quote the
 * name exactly as given (case included), so it can be found in what was typed.
 */
export function clusterName(field: string) {
  const quoted = (iss: { input?: unknown }) => JSON.stringify(iss.input);
  return z
    .string({ error: required(field, "a string") })
    .min(1, `${field} must not be empty`)
    .max(63, { error: (iss) => `${field} ${quoted(iss)} must be at most 63 characters` })
    .regex(DNS_LABEL, {
      error: (iss) =>
        `${field} ${quoted(iss)} must be a DNS-1123 label, as cluster names are: lower-case letters, digits and '-', starting and ending with a letter or digit`,
    });
}
