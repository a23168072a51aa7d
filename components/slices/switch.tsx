"use client";
// An on/off control with its label beside it (the UI kit has none yet).
import * as SwitchPrimitive from "@radix-ui/react-switch";
import { useId } from "react";
import { cn } from "@/lib/cn";

export function Switch({
  checked,
  onCheckedChange,
  label,
  description,
  disabled,
}: {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  label: React.ReactNode;
  description?: React.ReactNode;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex items-start gap-3">
      <SwitchPrimitive.Root
        id={id}
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
        aria-describedby={description ? `${id}-d` : undefined}
        className={cn(
          "relative mt-0.5 inline-flex h-5 w-9 shrink-0 items-center rounded-full border border-transparent transition-colors",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring disabled:opacity-50",
          "bg-border-strong data-[state=checked]:bg-accent",
        )}
      >
        <SwitchPrimitive.Thumb className="block size-4 translate-x-0.5 rounded-full bg-white shadow-card transition-transform data-[state=checked]:translate-x-[18px]" />
      </SwitchPrimitive.Root>
      <div className="flex flex-col gap-0.5">
        <label htmlFor={id} className="text-[13px] font-medium">
          {label}
        </label>
        {description ? (
          <p id={`${id}-d`} className="text-[13px] text-muted-foreground">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}
