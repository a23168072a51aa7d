"use client";
import { useEffect, useState } from "react";
import { cn } from "@/lib/cn";
import { applyTheme, readTheme, type ThemeChoice } from "@/lib/theme";
import { MonitorIcon, MoonIcon, SunIcon } from "../icons";

const CHOICES: Array<{ value: ThemeChoice; label: string; Icon: typeof SunIcon }> = [
  { value: "light", label: "Light", Icon: SunIcon },
  { value: "dark", label: "Dark", Icon: MoonIcon },
  { value: "system", label: "System", Icon: MonitorIcon },
];

/** Light / Dark / System as a small segmented control (a radio group). */
export function ThemeSwitch({ className }: { className?: string }) {
  const [choice, setChoice] = useState<ThemeChoice>("system");
  useEffect(() => setChoice(readTheme()), []);
  // Follow the OS while on "system".
  useEffect(() => {
    if (choice !== "system") return;
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const on = () => applyTheme("system");
    mq.addEventListener("change", on);
    return () => mq.removeEventListener("change", on);
  }, [choice]);
  return (
    <div role="radiogroup" aria-label="Theme" className={cn("inline-flex rounded-md border border-border bg-surface-2 p-0.5", className)}>
      {CHOICES.map(({ value, label, Icon }) => (
        <button
          key={value}
          type="button"
          role="radio"
          aria-checked={choice === value}
          aria-label={label}
          title={label}
          onClick={() => {
            setChoice(value);
            applyTheme(value);
          }}
          className={cn(
            "flex h-6 w-7 items-center justify-center rounded-[5px] text-muted-foreground transition-colors hover:text-foreground",
            choice === value && "bg-surface text-foreground shadow-card",
          )}
        >
          <Icon className="size-3.5" />
        </button>
      ))}
    </div>
  );
}
