import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { pgConnectionConfig } from "./db-url.ts";
import { env } from "./env.server.ts";

export type { PrismaClient };
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

// The one Prisma client of the process (no query engine binary: pg driver adapter).
let client: PrismaClient | undefined;

export function db(): PrismaClient {
  client ??= new PrismaClient({
    adapter: new PrismaPg({ ...pgConnectionConfig(env().DATABASE_URL), max: 10 }),
  });
  return client;
}

export async function disconnectDb(): Promise<void> {
  if (client) {
    await client.$disconnect();
    client = undefined;
  }
}
