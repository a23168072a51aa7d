"use client";
// Pick member clusters by name: type to search the tenant's clusters (server-side, one
// page), Enter or click to add. A name that matches no cluster can still be added, as
// typed — the live preview then says it is unknown (or cannot be a cluster name),
// which is clearer than silently refusing or rewriting it.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/lib/trpc";
import { XIcon } from "../../icons";
import { useTenant } from "../../shell/tenant-context";
import { useField } from "../../ui/field";
import { controlClass } from "../../ui/input";
import { AvailabilityBadge, SiteBadge } from "../status-badges";
import { useDebounced } from "./use-debounced";

export function ClusterPicker({
  value,
  onAdd,
  onRemove,
  disabled,
}: {
  value: string[];
  onAdd: (name: string) => void;
  onRemove: (name: string) => void;
  disabled?: boolean;
}) {
  const { slug } = useTenant();
  const trpc = useTRPC();
  const field = useField();
  const listId = useId();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  // Closing on blur waits for a click on an option to land; focusing again within that
  // time (e.g. right after removing a chip) must not be closed by it.
  const closing = useRef<ReturnType<typeof setTimeout> | null>(null);
  const show = () => {
    if (closing.current) clearTimeout(closing.current);
    closing.current = null;
    setOpen(true);
  };
  const search = useDebounced(text.trim(), 200);
  const q = useQuery({
    ...trpc.clusters.list.queryOptions({ tenant: slug, search: search || undefined, limit: 20 }),
    enabled: open,
    placeholderData: keepPreviousData,
  });
  const options = (q.data?.items ?? []).filter((c) => !value.includes(c.name));
  const typed = text.trim();
  // The search ignores case: typed text that names a listed cluster in other letters
  // means that cluster, by its own name.
  const named = options.find((o) => o.name.toLowerCase() === typed.toLowerCase());

  // Added exactly as named (a listed cluster) or as typed (anything else), so a message
  // about it names what the user typed, not a normalised copy.
  function add(name: string) {
    const n = name.trim();
    if (!n || value.includes(n)) return;
    onAdd(n);
    setText("");
    setActive(0);
  }

  return (
    <div className="flex flex-col gap-2">
      <div className="relative">
        <input
          id={field?.id}
          role="combobox"
          aria-expanded={open && options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && options[active] ? `${listId}-${active}` : undefined}
          aria-invalid={field?.invalid || undefined}
          aria-describedby={field?.describedBy}
          autoComplete="off"
          spellCheck={false}
          disabled={disabled}
          placeholder="Search clusters by name, Enter to add"
          className={cn(controlClass, "h-8")}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setActive(0);
            show();
          }}
          onFocus={show}
          onBlur={() => (closing.current = setTimeout(() => setOpen(false), 120))}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown") {
              e.preventDefault();
              show();
              setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
            } else if (e.key === "ArrowUp") {
              e.preventDefault();
              setActive((a) => Math.max(a - 1, 0));
            } else if (e.key === "Enter") {
              e.preventDefault();
              // A cluster named by the text wins, then the highlighted suggestion; with the list closed (Escape), the text as typed.
              const pick = named ?? (open ? options[active] : undefined);
              add(pick ? pick.name : typed);
            } else if (e.key === "Escape") {
              setOpen(false);
            } else if (e.key === "Backspace" && text === "" && value.length) {
              onRemove(value[value.length - 1]!);
            }
          }}
        />
        {open && options.length > 0 ? (
          <ul
            id={listId}
            role="listbox"
            aria-label="Clusters"
            className="absolute top-full right-0 left-0 z-30 mt-1 max-h-64 overflow-auto rounded-lg border border-border bg-surface p-1 shadow-overlay"
          >
            {options.map((c, i) => (
              <li
                key={c.id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                onMouseDown={(e) => {
                  e.preventDefault();
                  add(c.name);
                }}
                onMouseEnter={() => setActive(i)}
                className={cn("flex cursor-default items-center justify-between gap-3 rounded-md px-2 py-1.5 text-sm", i === active && "bg-surface-2")}
              >
                <span className="truncate font-medium">{c.name}</span>
                <span className="flex shrink-0 items-center gap-1.5">
                  <SiteBadge siteType={c.siteType} />
                  <AvailabilityBadge availability={c.availability} />
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      {value.length ? (
        <ul aria-label="Selected clusters" className="flex flex-wrap gap-1.5">
          {value.map((name) => (
            <li key={name} className="inline-flex h-7 items-center gap-1 rounded-md border border-border bg-surface-2 pr-1 pl-2 font-mono text-[12.5px]">
              {name}
              <button
                type="button"
                disabled={disabled}
                onClick={() => onRemove(name)}
                aria-label={`Remove ${name}`}
                className="rounded p-0.5 text-muted-foreground hover:bg-surface hover:text-foreground"
              >
                <XIcon className="size-3.5" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Toggle buttons over the slice's members (hubs, namespace clusters). */
export function MemberToggles({ members, value, onChange, label }: { members: string[]; value: string[]; onChange: (next: string[]) => void; label: string }) {
  const field = useField();
  if (members.length === 0) return <p className="text-[13px] text-muted-foreground">Add member clusters first.</p>;
  return (
    <div role="group" aria-label={label} aria-describedby={field?.describedBy} className="flex flex-wrap gap-1.5">
      {members.map((m) => {
        const on = value.includes(m);
        return (
          <button
            key={m}
            type="button"
            aria-pressed={on}
            onClick={() => onChange(on ? value.filter((v) => v !== m) : [...value, m])}
            className={cn(
              "inline-flex h-7 items-center gap-1.5 rounded-md border px-2 font-mono text-[12.5px] transition-colors",
              on
                ? "border-accent bg-accent-subtle text-accent-subtle-foreground"
                : "border-border bg-surface text-muted-foreground hover:bg-surface-2 hover:text-foreground",
              field?.invalid && !on && "border-danger/60",
            )}
          >
            <span aria-hidden="true" className={cn("size-1.5 rounded-full", on ? "bg-accent" : "bg-border-strong")} />
            {m}
          </button>
        );
      })}
    </div>
  );
}
