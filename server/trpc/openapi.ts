import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "./root";

let doc: ReturnType<typeof generateOpenApiDocument> | undefined;

// Paths served by route handlers of their own (non-JSON bodies), described by hand.
const EXTRA_PATHS = {
  "/slices/{id}/export": {
    get: {
      tags: ["slices"],
      summary: "Export a slice as KubeSlice SliceConfig YAML (valid against the upstream CRD)",
      security: [{ bearerAuth: [] }],
      parameters: [
        { in: "path", name: "id", required: true, schema: { type: "string" } },
        { in: "query", name: "format", required: false, schema: { type: "string", enum: ["kubeslice"], default: "kubeslice" } },
      ],
      responses: {
        "200": { description: "SliceConfig YAML", content: { "text/yaml": { schema: { type: "string" } } } },
        "401": { description: "Missing or bad credentials" },
        "404": { description: "No such slice in this tenant" },
      },
    },
  },
} as const;

/** The OpenAPI 3 document of /api/v1, generated from the same tRPC procedures. */
export function openApiDocument(baseUrl: string) {
  doc ??= generateOpenApiDocument(appRouter, {
    title: "Isthmus API",
    version: "1.0.0",
    baseUrl,
    description: "REST API of Isthmus. Authenticate with `Authorization: Bearer ist_…` (an API token from Settings → API tokens). Every call acts on the token's tenant.",
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
  });
  doc.paths = { ...doc.paths, ...(EXTRA_PATHS as unknown as NonNullable<typeof doc.paths>) };
  return doc;
}
