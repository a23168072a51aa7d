import { generateOpenApiDocument } from "trpc-to-openapi";
import { PROBLEM_CONTENT_TYPE, PROBLEM_SCHEMA } from "../http/problem-details";
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
    description:
      "REST API of Isthmus. Authenticate with `Authorization: Bearer ist_…` (an API token from Settings → API tokens). Every call acts on the token's tenant.",
    securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } },
  });
  doc.paths = { ...doc.paths, ...(EXTRA_PATHS as unknown as NonNullable<typeof doc.paths>) };
  describeProblems(doc as unknown as OpenApiShape);
  return doc;
}

interface OpenApiShape {
  paths?: Record<string, Record<string, { requestBody?: unknown; responses?: Record<string, { description?: string; content?: unknown }> }>>;
  components?: { schemas?: Record<string, unknown> };
}

const PROBLEM_REF = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: "#/components/schemas/Problem" } } };

// The generator describes errors in tRPC's own shape; the REST edge answers every error
// as problem details (server/trpc/rest-handler.ts), so the document says that instead.
function describeProblems(doc: OpenApiShape) {
  doc.components ??= {};
  const schemas = (doc.components.schemas ??= {});
  for (const name of Object.keys(schemas)) if (name.startsWith("error.")) delete schemas[name];
  schemas.Problem = PROBLEM_SCHEMA;
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      const responses = (op.responses ??= {});
      if (op.requestBody) responses["413"] ??= { description: "The body is larger than 1 MiB" };
      responses["500"] ??= { description: "Internal server error (says nothing about its cause)" };
      for (const [status, r] of Object.entries(responses))
        if (/^[45]/.test(status)) responses[status] = { description: r.description ?? "Error", content: PROBLEM_REF };
    }
  }
}
