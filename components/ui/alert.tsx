import { cn } from "@/lib/cn";
import { AlertIcon, CheckCircleIcon, InfoIcon } from "../icons";

const TONES = {
  info: "bg-accent-subtle text-accent-subtle-foreground",
  success: "bg-success-subtle text-success-subtle-foreground",
  warning: "bg-warning-subtle text-warning-subtle-foreground",
  danger: "bg-danger-subtle text-danger-subtle-foreground",
} as const;

/** An inline message. Errors use role="alert" so they are announced when they appear. */
export function Alert({
  tone = "info",
  title,
  children,
  className,
}: {
  tone?: keyof typeof TONES;
  title?: React.ReactNode;
  children?: React.ReactNode;
  className?: string;
}) {
  const Icon = tone === "danger" || tone === "warning" ? AlertIcon : tone === "success" ? CheckCircleIcon : InfoIcon;
  return (
    <div role={tone === "danger" ? "alert" : "status"} className={cn("flex gap-2.5 rounded-lg px-3 py-2.5 text-[13px]", TONES[tone], className)}>
      <Icon className="mt-0.5 size-4 shrink-0" />
      <div className="flex min-w-0 flex-col gap-0.5">
        {title ? <p className="font-medium">{title}</p> : null}
        {children ? <div className="break-words">{children}</div> : null}
      </div>
    </div>
  );
}
