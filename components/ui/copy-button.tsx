"use client";
import { useState } from "react";
import { cn } from "@/lib/cn";
import { CheckIcon, CopyIcon } from "../icons";
import { Button } from "./button";

async function copyText(text: string) {
  // The async clipboard needs a secure context (https or localhost); fall back to a
  // hidden textarea elsewhere so copying works on a plain-http install too.
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.style.position = "fixed";
  ta.style.opacity = "0";
  document.body.appendChild(ta);
  ta.select();
  document.execCommand("copy");
  ta.remove();
}

export function CopyButton({
  value,
  label = "Copy",
  className,
  size = "sm",
  variant = "secondary",
}: {
  value: string;
  label?: string;
  className?: string;
  size?: "sm" | "md" | "icon";
  variant?: "secondary" | "ghost";
}) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant={variant}
      size={size}
      className={cn(className)}
      aria-label={size === "icon" ? label : undefined}
      onClick={async () => {
        try {
          await copyText(value);
          setCopied(true);
          setTimeout(() => setCopied(false), 1600);
        } catch {
          setCopied(false);
        }
      }}
    >
      {copied ? <CheckIcon className="size-3.5" /> : <CopyIcon className="size-3.5" />}
      {size === "icon" ? null : <span aria-live="polite">{copied ? "Copied" : label}</span>}
    </Button>
  );
}

/** A secret or command shown in a monospace box with a copy button beside it. */
export function CopyField({ value, label, multiline }: { value: string; label: string; multiline?: boolean }) {
  return (
    <div className="flex items-start gap-2 rounded-lg border border-border bg-surface-2 p-2 pl-3">
      <code
        aria-label={label}
        className={cn("min-w-0 flex-1 py-1 font-mono text-[12.5px] leading-5 break-all text-foreground", multiline && "whitespace-pre-wrap")}
      >
        {value}
      </code>
      <CopyButton value={value} label="Copy" />
    </div>
  );
}
