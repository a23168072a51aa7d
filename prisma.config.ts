import { defineConfig } from "prisma/config";

// The datasource URL only matters to the stock Prisma CLI (e.g. `prisma migrate deploy`
// in the Docker image). The app itself connects through @prisma/adapter-pg.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/isthmus" },
});
