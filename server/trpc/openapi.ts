import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "./root";

let doc: ReturnType<typeof generateOpenApiDocument> | undefined;

/** The OpenAPI 3 document of /api/v1, generated from the same tRPC procedures. */
export function openApiDocument(baseUrl: string) {
  doc ??= generateOpenApiDocument(appRouter, {
    title: "Isthmus API",
    version: "1.0.0",
    baseUrl,
    description: "REST API of Isthmus. Authenticate with `Authorization: Bearer ist_…` (an API token from Settings → API tokens). Every call acts on the token's tenant.",
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
  });
  return doc;
}
