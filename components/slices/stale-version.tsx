"use client";
// A write the server refused because the resource changed since the console loaded it
// (optimistic concurrency: the console sends the version it read as expectedVersion).
// Saving again would overwrite someone else's change, so the only way on is to reload.
import type { FormError } from "@/lib/errors";
import { Alert } from "../ui/alert";
import { Button } from "../ui/button";

export const STALE_TITLE = "Changed by someone else — reload";

/** True when the error says the resource changed since it was loaded (not any other 412). */
export function isStaleVersion(err: Pick<FormError, "code" | "fieldErrors"> | null | undefined): boolean {
  return err?.code === "PRECONDITION_FAILED" && !!err.fieldErrors?.expectedVersion?.length;
}

/** The message for places that show one line of text (confirm dialogs). */
export function staleMessage(what: string) {
  return `${STALE_TITLE}: ${what} was changed by someone else after this page loaded it. Reload to see the change, then try again.`;
}

export function StaleVersionAlert({ what }: { what: string }) {
  return (
    <Alert tone="warning" title={STALE_TITLE}>
      <div className="flex flex-col gap-2">
        <p>{`${what.charAt(0).toUpperCase()}${what.slice(1)} was changed by someone else after this page loaded it. Nothing was saved: reload to see their change, then make yours again.`}</p>
        <div>
          <Button variant="secondary" size="sm" onClick={() => window.location.reload()}>
            Reload
          </Button>
        </div>
      </div>
    </Alert>
  );
}
