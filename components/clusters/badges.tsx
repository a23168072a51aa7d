import { cn } from "@/lib/cn";
import { Badge } from "../ui/badge";
import { AVAILABILITY_HINT, AVAILABILITY_LABEL, AVAILABILITY_TONE, SITE_LABEL, STATUS_LABEL, STATUS_TONE, type Availability, type SiteType } from "./meta";

export function SiteBadge({ siteType }: { siteType: SiteType }) {
  return <Badge>{SITE_LABEL[siteType] ?? siteType}</Badge>;
}

export function AvailabilityBadge({ availability }: { availability: Availability }) {
  return (
    <Badge tone={AVAILABILITY_TONE[availability] ?? "neutral"} title={AVAILABILITY_HINT[availability]}>
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current" />
      {AVAILABILITY_LABEL[availability] ?? availability}
    </Badge>
  );
}

/** A component's or gateway's reported status (OK, UP, DEGRADED, DOWN, FAILED, UNKNOWN). */
export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status] ?? "neutral"}>{STATUS_LABEL[status] ?? status}</Badge>;
}

/**
 * "applied 4 / desired 5" and whether the cluster runs the newest revision made for
 * it. Desired 0 means nothing was ever published for it (not even the empty bundle).
 */
export function RevisionStatus({ applied, desired, compact }: { applied: number; desired: number; compact?: boolean }) {
  const converged = desired > 0 && applied >= desired;
  return (
    <span className={cn("flex items-center gap-2", compact ? "flex-nowrap" : "flex-wrap")}>
      <span className="font-mono text-[12.5px] whitespace-nowrap tabular-nums">
        {compact ? (
          <>
            {applied} / {desired}
          </>
        ) : (
          <>
            applied {applied} / desired {desired}
          </>
        )}
      </span>
      <Badge tone={desired === 0 ? "neutral" : converged ? "success" : "warning"}>{desired === 0 ? "No revision" : converged ? "Converged" : "Applying"}</Badge>
    </span>
  );
}

/** Labels as `key=value` chips; past `max`, a "+N" chip whose title lists the rest. */
export function LabelChips({
  labels,
  max,
  className,
  onPick,
}: {
  labels: Record<string, string>;
  max?: number;
  className?: string;
  onPick?: (key: string, value: string) => void;
}) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span className="text-[13px] text-muted-foreground">—</span>;
  const shown = max !== undefined ? entries.slice(0, max) : entries;
  const rest = entries.slice(shown.length);
  return (
    <ul className={cn("flex flex-wrap gap-1", className)} aria-label="Labels">
      {shown.map(([k, v]) => {
        const text = (
          <>
            <span className="text-muted-foreground">{k}=</span>
            {v}
          </>
        );
        return (
          <li key={k} className="inline-flex h-5 max-w-56 items-center rounded-md border border-border bg-surface-2 font-mono text-[11.5px] text-foreground">
            {onPick ? (
              <button type="button" className="truncate rounded-md px-1.5 hover:text-accent" title={`Filter by ${k}=${v}`} onClick={() => onPick(k, v)}>
                {text}
              </button>
            ) : (
              <span className="truncate px-1.5" title={`${k}=${v}`}>
                {text}
              </span>
            )}
          </li>
        );
      })}
      {rest.length > 0 ? (
        <li
          className="inline-flex h-5 items-center rounded-md border border-border px-1.5 text-[11.5px] text-muted-foreground"
          title={rest.map(([k, v]) => `${k}=${v}`).join("\n")}
        >
          +{rest.length}
        </li>
      ) : null}
    </ul>
  );
}
