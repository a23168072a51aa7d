"use client";
// A styled Radix Select. Keyboard: arrows, type-ahead, Enter/Space; labelled through
// the surrounding Field (or aria-label when there is no visible label).
import * as SelectPrimitive from "@radix-ui/react-select";
import { cn } from "@/lib/cn";
import { CheckIcon, ChevronDownIcon } from "../icons";
import { useField } from "./field";
import { controlClass } from "./input";

export interface SelectOption<V extends string> {
  value: V;
  label: React.ReactNode;
  hint?: React.ReactNode;
  disabled?: boolean;
}

export interface SelectProps<V extends string> {
  value: V | undefined;
  onValueChange: (value: V) => void;
  options: Array<SelectOption<V>>;
  placeholder?: string;
  disabled?: boolean;
  className?: string;
  id?: string;
  name?: string;
  size?: "sm" | "md";
  "aria-label"?: string;
}

export function Select<V extends string>({ value, onValueChange, options, placeholder, disabled, className, id, name, size = "md", ...rest }: SelectProps<V>) {
  const field = useField();
  return (
    <SelectPrimitive.Root value={value} onValueChange={(v) => onValueChange(v as V)} disabled={disabled} name={name}>
      <SelectPrimitive.Trigger
        id={id ?? field?.id}
        aria-label={rest["aria-label"]}
        aria-invalid={field?.invalid || undefined}
        aria-describedby={field?.describedBy}
        className={cn(controlClass, "inline-flex items-center justify-between gap-2 text-left", size === "sm" ? "h-7 text-[13px]" : "h-8", className)}
      >
        <SelectPrimitive.Value placeholder={placeholder} />
        <SelectPrimitive.Icon className="text-muted-foreground">
          <ChevronDownIcon className="size-3.5" />
        </SelectPrimitive.Icon>
      </SelectPrimitive.Trigger>
      <SelectPrimitive.Portal>
        <SelectPrimitive.Content
          position="popper"
          sideOffset={4}
          className="z-50 max-h-[var(--radix-select-content-available-height)] min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-lg border border-border bg-surface p-1 shadow-overlay"
        >
          <SelectPrimitive.Viewport>
            {options.map((o) => (
              <SelectPrimitive.Item
                key={o.value}
                value={o.value}
                disabled={o.disabled}
                className="relative flex cursor-default items-start gap-2 rounded-md py-1.5 pr-2 pl-7 text-sm outline-none select-none data-[disabled]:opacity-45 data-[highlighted]:bg-surface-2"
              >
                <SelectPrimitive.ItemIndicator className="absolute top-2 left-2 text-accent">
                  <CheckIcon className="size-3.5" />
                </SelectPrimitive.ItemIndicator>
                <div className="flex flex-col">
                  <SelectPrimitive.ItemText>{o.label}</SelectPrimitive.ItemText>
                  {o.hint ? <span className="text-xs text-muted-foreground">{o.hint}</span> : null}
                </div>
              </SelectPrimitive.Item>
            ))}
          </SelectPrimitive.Viewport>
        </SelectPrimitive.Content>
      </SelectPrimitive.Portal>
    </SelectPrimitive.Root>
  );
}
