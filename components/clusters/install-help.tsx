"use client";
import Link from "next/link";
import { ClusterIcon, TicketIcon } from "../icons";
import { useTenant } from "../shell/tenant-context";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { useOrigin } from "./use-url-state";

/** Shown while the tenant has no cluster: how a cluster gets here, step by step. */
export function NoClustersYet() {
  const { slug, can } = useTenant();
  const origin = useOrigin() || "https://isthmus.example.com";
  const admin = can("ADMIN");
  return (
    <Card className="flex flex-col items-center gap-5 px-6 py-12 text-center">
      <div className="flex size-10 items-center justify-center rounded-full border border-border bg-surface-2 text-muted-foreground">
        <ClusterIcon className="size-5" />
      </div>
      <div className="flex max-w-lg flex-col gap-1.5">
        <p className="text-sm font-medium">No clusters yet</p>
        <p className="text-[13px] text-muted-foreground">
          A cluster joins when the Isthmus agent runs in it. The agent only dials out over HTTPS, so it works behind NAT and needs one egress rule to this
          console.
        </p>
      </div>
      <ol className="flex w-full max-w-lg flex-col gap-3 text-left text-[13px]">
        <li className="flex gap-3">
          <Step n={1} />
          <span>
            {admin ? "Create a registration token." : "Ask an admin of this tenant for a registration token."} It enrols one cluster by default, expires after
            24 hours, and can put labels and a site type on what it enrols.
          </span>
        </li>
        <li className="flex gap-3">
          <Step n={2} />
          <div className="flex min-w-0 flex-1 flex-col gap-2">
            <span>
              Run the agent with it, where kubectl reaches the cluster (or deploy it in the cluster with the Secret manifest the token page gives you):
            </span>
            <code className="block rounded-lg border border-border bg-surface-2 px-3 py-2 font-mono text-[12px] break-all">
              npx isthmus-agent --server {origin} --token isr_…
            </code>
          </div>
        </li>
        <li className="flex gap-3">
          <Step n={3} />
          <span>The cluster appears here within seconds, with its inventory and status. No reload needed.</span>
        </li>
      </ol>
      {admin ? (
        <Button asChild>
          <Link href={`/t/${slug}/registration-tokens`}>
            <TicketIcon className="size-4" />
            Go to registration tokens
          </Link>
        </Button>
      ) : null}
    </Card>
  );
}

function Step({ n }: { n: number }) {
  return (
    <span
      aria-hidden="true"
      className="flex size-5 shrink-0 items-center justify-center rounded-full bg-accent-subtle text-[11px] font-semibold text-accent-subtle-foreground"
    >
      {n}
    </span>
  );
}
