"use client";
import { cn } from "@/lib/cn";

export interface Choice<V extends string> {
  value: V;
  label: string;
  hint: string;
}

/** One of a few options as cards with a radio mark (topology kind, QoS source). */
export function ChoiceCards<V extends string>({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: V;
  choices: ReadonlyArray<Choice<V>>;
  onChange: (v: V) => void;
}) {
  return (
    <div role="radiogroup" aria-label={label} className="grid gap-2 sm:grid-cols-3">
      {choices.map((k) => {
        const on = value === k.value;
        return (
          <button
            key={k.value}
            type="button"
            role="radio"
            aria-checked={on}
            onClick={() => onChange(k.value)}
            className={cn(
              "flex flex-col gap-1 rounded-lg border p-3 text-left transition-colors",
              on ? "border-accent bg-accent-subtle/60 shadow-[inset_0_0_0_1px_var(--accent)]" : "border-border bg-surface hover:border-border-strong",
            )}
          >
            <span className="flex items-center gap-2 text-[13px] font-medium">
              <span
                aria-hidden="true"
                className={cn("flex size-3.5 items-center justify-center rounded-full border", on ? "border-accent" : "border-border-strong")}
              >
                {on ? <span className="size-1.5 rounded-full bg-accent" /> : null}
              </span>
              {k.label}
            </span>
            <span className="text-xs text-muted-foreground">{k.hint}</span>
          </button>
        );
      })}
    </div>
  );
}
