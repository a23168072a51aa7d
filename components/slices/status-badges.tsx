import { Badge } from "../ui/badge";
import { AVAILABILITY_LABEL, AVAILABILITY_TONE, LINK_LABEL, LINK_TONE, ratioTone, SITE_LABEL, type LinkStatus } from "./slice-meta";

export interface Convergence {
  clusters: number;
  clustersApplied: number;
  links: number;
  linksUp: number;
}

/** "3/4 links up" and "2/3 clusters applied", each coloured by how far it has come. */
export function ConvergenceBadges({ convergence: c, className }: { convergence: Convergence; className?: string }) {
  return (
    <span className={className ?? "flex flex-wrap items-center gap-1.5"}>
      <Badge tone={ratioTone(c.linksUp, c.links)} title="Gateway links reporting UP" className="tabular-nums">
        {c.links === 0 ? "No links" : `${c.linksUp}/${c.links} links up`}
      </Badge>
      <Badge tone={ratioTone(c.clustersApplied, c.clusters)} title="Member clusters running their latest revision" className="tabular-nums">
        {c.clusters === 0 ? "No clusters" : `${c.clustersApplied}/${c.clusters} clusters applied`}
      </Badge>
    </span>
  );
}

export function LinkStatusBadge({ status }: { status: LinkStatus }) {
  return (
    <Badge tone={LINK_TONE[status]}>
      <span aria-hidden="true" className="size-1.5 rounded-full bg-current" />
      {LINK_LABEL[status]}
    </Badge>
  );
}

export function AvailabilityBadge({ availability }: { availability: string }) {
  return <Badge tone={AVAILABILITY_TONE[availability] ?? "neutral"}>{AVAILABILITY_LABEL[availability] ?? availability}</Badge>;
}

export function SiteBadge({ siteType }: { siteType: string }) {
  return <Badge>{SITE_LABEL[siteType] ?? siteType}</Badge>;
}

/** "applied 4 / desired 5": the member is converged when it runs the newest revision made for it. */
export function RevisionStatus({ applied, desired }: { applied: number; desired: number }) {
  const done = desired > 0 && applied >= desired;
  const label = desired === 0 ? "No revision yet" : done ? "Applied" : "Applying";
  return (
    <span className="flex flex-wrap items-center gap-2">
      <span className="font-mono text-[12.5px] tabular-nums">
        applied {applied} / desired {desired}
      </span>
      <Badge tone={desired === 0 ? "neutral" : done ? "success" : "warning"}>{label}</Badge>
    </span>
  );
}
