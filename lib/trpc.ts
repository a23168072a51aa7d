"use client";
// The console's tRPC client: typed hooks over TanStack Query, batched over /api/trpc.
// No transformer is configured on the server, so dates arrive as ISO strings and the
// inferred output types say `string` for them; lib/format.ts handles both.
import { QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        // A 4xx will not improve by retrying (not a member, forbidden, bad input).
        retry: (count, err) => {
          const status = (err as { data?: { httpStatus?: number } })?.data?.httpStatus;
          return !(status && status >= 400 && status < 500) && count < 2;
        },
        refetchOnWindowFocus: true,
      },
    },
  });
}

export function makeTRPCClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/api/trpc" })],
  });
}

/**
 * `{ tenant }` for procedures whose only input is the tenant scope (`members.list`,
 * `apiTokens.list`, …). Their input schema ends in `z.object({})`, which zod 4 infers
 * as `Record<string, never>`, so the type rejects the very `tenant` key the server
 * reads. The runtime shape is exactly what the server expects.
 */
export function scope(tenant: string): RouterInputs["members"]["list"] {
  return { tenant } as unknown as RouterInputs["members"]["list"];
}
