"use client";
// Key/value rows for Kubernetes-style labels (clusters and registration tokens). The
// server checks the label rules; here only what a form can tell at once: a value
// without a key, and the same key twice.
import { useId } from "react";
import type { FieldErrors } from "@/lib/errors";
import { PlusIcon, XIcon } from "../icons";
import { Button } from "../ui/button";
import { Input } from "../ui/input";

export interface LabelRow {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;
export const newRow = (key = "", value = ""): LabelRow => ({ id: nextRowId++, key, value });

export function labelsToRows(labels: Record<string, string>): LabelRow[] {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => newRow(k, v));
}

/** The rows as a label map, or the first problem a user must fix. Blank rows are ignored. */
export function rowsToLabels(rows: LabelRow[]): { labels: Record<string, string>; problem?: string } {
  const labels: Record<string, string> = {};
  for (const r of rows) {
    const key = r.key.trim();
    const value = r.value.trim();
    if (!key && !value) continue;
    if (!key) return { labels, problem: `The label with value "${value}" needs a key` };
    if (key in labels) return { labels, problem: `The label key "${key}" is there twice` };
    labels[key] = value;
  }
  return { labels };
}

/** Server messages for labels name the label first ("label key …"): capitalise, don't prefix. */
export function labelsError(errors: FieldErrors | undefined): string | undefined {
  const list = errors?.labels;
  return list?.length ? list.map((m) => m.charAt(0).toUpperCase() + m.slice(1)).join(". ") : undefined;
}

export function LabelsEditor({
  rows,
  onChange,
  error,
  hint,
}: {
  rows: LabelRow[];
  onChange: (rows: LabelRow[]) => void;
  error?: string;
  hint?: React.ReactNode;
}) {
  const id = useId();
  const update = (rowId: number, patch: Partial<LabelRow>) => onChange(rows.map((r) => (r.id === rowId ? { ...r, ...patch } : r)));
  // Messages quote the offending key or value: mark that row, or every row when none is named.
  const names = (r: LabelRow, part: "key" | "value") => !!error && r[part].trim() !== "" && error.includes(`"${r[part].trim()}"`);
  const named = rows.some((r) => names(r, "key") || names(r, "value"));
  const invalid = (r: LabelRow, part: "key" | "value") => (named ? names(r, part) : !!error) || undefined;
  return (
    <fieldset className="flex flex-col gap-1.5" aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}>
      <legend className="mb-1.5 text-[13px] leading-5 font-medium">Labels</legend>
      {rows.length > 0 ? (
        <ul className="flex flex-col gap-1.5">
          {rows.map((r, i) => (
            <li key={r.id} className="flex items-center gap-1.5">
              <Input
                aria-label={`Label ${i + 1} key`}
                placeholder="key, e.g. env"
                value={r.key}
                onChange={(e) => update(r.id, { key: e.target.value })}
                aria-invalid={invalid(r, "key")}
                className="font-mono text-[13px]"
                spellCheck={false}
                autoCapitalize="off"
                maxLength={317}
              />
              <span aria-hidden="true" className="text-muted-foreground">
                =
              </span>
              <Input
                aria-label={`Label ${i + 1} value`}
                placeholder="value, e.g. prod"
                value={r.value}
                onChange={(e) => update(r.id, { value: e.target.value })}
                aria-invalid={invalid(r, "value")}
                className="font-mono text-[13px]"
                spellCheck={false}
                autoCapitalize="off"
                maxLength={63}
              />
              <Button variant="ghost" size="icon" aria-label={`Remove label ${i + 1}`} onClick={() => onChange(rows.filter((x) => x.id !== r.id))}>
                <XIcon className="size-3.5" />
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <Button variant="secondary" size="sm" className="self-start" onClick={() => onChange([...rows, newRow()])}>
        <PlusIcon className="size-3.5" />
        Add label
      </Button>
      {error ? (
        <p id={`${id}-error`} className="text-[13px] text-danger-subtle-foreground">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-[13px] text-muted-foreground">
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}
