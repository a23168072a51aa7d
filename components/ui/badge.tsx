import { cn } from "@/lib/cn";

const TONES = {
  neutral: "bg-surface-2 text-muted-foreground border-border",
  accent: "bg-accent-subtle text-accent-subtle-foreground border-transparent",
  success: "bg-success-subtle text-success-subtle-foreground border-transparent",
  warning: "bg-warning-subtle text-warning-subtle-foreground border-transparent",
  danger: "bg-danger-subtle text-danger-subtle-foreground border-transparent",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "neutral", className, ...props }: React.HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return (
    <span
      className={cn("inline-flex h-5 items-center gap-1 rounded-full border px-2 text-xs font-medium whitespace-nowrap", TONES[tone], className)}
      {...props}
    />
  );
}
