"use client";
import { QueryClientProvider } from "@tanstack/react-query";
import { useLayoutEffect, useState } from "react";
import { applyTheme, readTheme } from "@/lib/theme";
import { makeQueryClient, makeTRPCClient, TRPCProvider } from "@/lib/trpc";
import { ToastProvider } from "./ui/toast";

/** Client-side providers: TanStack Query, the tRPC client and toasts. */
export function Providers({ children }: { children: React.ReactNode }) {
  // One client per browser session; useState keeps it stable across re-renders.
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(makeTRPCClient);
  // The inline theme script in <head> covers every server-rendered page. A page that
  // Next.js renders in the browser instead (a 404 thrown by a layout gets an error
  // shell from the server) never runs it, so apply the stored theme here as well.
  useLayoutEffect(() => applyTheme(readTheme()), []);
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ToastProvider>{children}</ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
