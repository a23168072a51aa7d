import { toFormError } from "@/lib/errors";
import { Alert } from "./alert";

/** Placeholder rows while a list loads (announced as busy, named for screen readers). */
export function LoadingRows({ label, rows = 2, tall = false }: { label: string; rows?: number; tall?: boolean }) {
  return (
    <div className="flex flex-col gap-2 p-5" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className={`${tall ? "h-9" : "h-8"} animate-pulse rounded-md bg-surface-2`} />
      ))}
    </div>
  );
}

/** A query that failed, with the server's message. */
export function QueryError({ error }: { error: unknown }) {
  return (
    <div className="p-5">
      <Alert tone="danger">{toFormError(error).message}</Alert>
    </div>
  );
}
