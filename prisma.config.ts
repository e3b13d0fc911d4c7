// Prisma CLI configuration. Uses the JavaScript (WASM) schema engine through the pg driver
// adapter so that no native engine binary is ever downloaded (docs/decisions/001).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import { pgConnectionConfig } from "./app/platform/db-url.ts";

const url = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mingbiao";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  // Discrete connection fields, not a connection string: migrate's shadow database is made by
  // overriding `database`, which a connection string would take precedence over.
  adapter: async () => new PrismaPg(pgConnectionConfig(url)),
});
