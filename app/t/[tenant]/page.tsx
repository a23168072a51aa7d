import type { Metadata } from "next";
import Link from "next/link";
import { ACTOR_TYPE_LABEL, describeDeed } from "@/components/audit/audit-describe";
import { BookIcon, ChevronRightIcon, KeyIcon, ScrollIcon, ShieldCheckIcon, UsersIcon } from "@/components/icons";
import { FleetOverview } from "@/components/overview/fleet-overview";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { formatDateTime, formatRelative } from "@/lib/format";
import { ROLE_HINT, ROLE_LABEL, roleAtLeast } from "@/lib/roles";
import { listApiTokens } from "@/server/api-tokens/api-tokens";
import { listAudit } from "@/server/audit/list-audit";
import { listMembers } from "@/server/members/list-members";
import { loadTenant } from "./load-tenant";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, detail, href, icon }: { label: string; value: React.ReactNode; detail?: React.ReactNode; href?: string; icon: React.ReactNode }) {
  const body = (
    <Card className="group flex h-full flex-col gap-3 p-5 transition-colors hover:border-border-strong">
      <div className="flex items-center justify-between text-[13px] text-muted-foreground">
        <span className="flex items-center gap-2 [&>svg]:size-4">
          {icon}
          {label}
        </span>
        {href ? <ChevronRightIcon className="size-4 opacity-0 transition-opacity group-hover:opacity-100" /> : null}
      </div>
      <div className="text-2xl font-semibold tracking-tight tabular-nums">{value}</div>
      {detail ? <p className="text-[13px] text-muted-foreground">{detail}</p> : null}
    </Card>
  );
  return href ? (
    <Link href={href} className="rounded-xl">
      {body}
    </Link>
  ) : (
    body
  );
}

export default async function OverviewPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: slug } = await params;
  const { tenant, role, ctx, scoped } = await loadTenant(slug);
  const admin = roleAtLeast(role, "ADMIN");
  const base = `/t/${tenant.slug}`;
  const [members, tokens, audit] = await scoped(() =>
    Promise.all([listMembers(ctx), admin ? listApiTokens(ctx) : Promise.resolve(null), admin ? listAudit(ctx, { limit: 8 }) : Promise.resolve(null)]),
  );
  const now = new Date();
  const activeTokens = tokens?.filter((t) => !t.revokedAt && t.expiresAt > now).length ?? 0;
  const owners = members.filter((m) => m.role === "OWNER").length;

  return (
    <>
      <PageHeader
        title={tenant.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <span className="font-mono text-[13px]">{tenant.slug}</span>
            <span aria-hidden="true">·</span>
            <span>
              You are <Badge tone="accent">{ROLE_LABEL[role]}</Badge>
            </span>
          </span>
        }
      />
      <FleetOverview slug={tenant.slug} />
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Stat icon={<ShieldCheckIcon />} label="Your role" value={ROLE_LABEL[role]} detail={ROLE_HINT[role]} />
        <Stat
          icon={<UsersIcon />}
          label="Members"
          value={members.length}
          detail={`${owners} ${owners === 1 ? "owner" : "owners"}`}
          href={`${base}/settings/members`}
        />
        {admin ? (
          <Stat
            icon={<KeyIcon />}
            label="Active API tokens"
            value={activeTokens}
            detail={tokens && tokens.length > activeTokens ? `${tokens.length - activeTokens} revoked or expired` : "For automation over REST or tRPC"}
            href={`${base}/settings/api-tokens`}
          />
        ) : (
          <Stat icon={<BookIcon />} label="API" value="REST + OpenAPI" detail="Browse the endpoints and their schemas" href={`${base}/api-docs`} />
        )}
      </div>

      {audit ? (
        <Card>
          <CardHeader
            title="Recent activity"
            description="The latest changes in this tenant, from the audit log."
            actions={
              <Link href={`${base}/audit`} className="text-[13px] font-medium text-accent hover:underline">
                View audit log
              </Link>
            }
          />
          {audit.items.length === 0 ? (
            <EmptyState icon={<ScrollIcon />} title="Nothing recorded yet" />
          ) : (
            <ul className="divide-y divide-border">
              {audit.items.map((e) => (
                <li key={e.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 text-[13px]">
                  <span className="min-w-0 flex-1">
                    <span className="font-medium">{e.actorLabel}</span>
                    {e.actorType !== "USER" ? <span className="text-muted-foreground"> ({ACTOR_TYPE_LABEL[e.actorType]})</span> : null}{" "}
                    <span className="break-words">{describeDeed(e)}</span>
                  </span>
                  <time dateTime={e.createdAt.toISOString()} title={formatDateTime(e.createdAt)} className="text-muted-foreground tabular-nums">
                    {formatRelative(e.createdAt, now.getTime())}
                  </time>
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}
    </>
  );
}
