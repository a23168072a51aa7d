"use client";
import dynamic from "next/dynamic";

const ApiReference = dynamic(() => import("./api-reference"), {
  ssr: false,
  loading: () => <div className="h-96 animate-pulse rounded-xl border border-border bg-surface-2" aria-busy="true" aria-label="Loading the API reference" />,
});

export function ApiDocsView() {
  return <ApiReference />;
}
