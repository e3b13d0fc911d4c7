import Redis, { type RedisOptions } from "ioredis";
import { env } from "./env.server.ts";

const clients = new Set<Redis>();

/** ioredis connections for this process; all are closed together on shutdown. */
export function createRedis(options: RedisOptions = {}): Redis {
  const client = new Redis(env().REDIS_URL, { lazyConnect: false, ...options });
  clients.add(client);
  client.on("end", () => clients.delete(client));
  // Once per outage rather than ioredis's "Unhandled error event" on every reconnect attempt
  // (sign-in goes on without Redis: throttle.server.ts).
  let failing = false;
  client.on("error", (error: Error) => {
    if (!failing) console.error(`redis: ${error.message}; reconnecting`);
    failing = true;
  });
  client.on("ready", () => {
    failing = false;
  });
  return client;
}

let shared: Redis | undefined;

export function redis(): Redis {
  shared ??= createRedis({ maxRetriesPerRequest: 2 });
  return shared;
}

export async function closeRedis(): Promise<void> {
  await Promise.allSettled([...clients].map((c) => c.quit()));
  clients.clear();
  shared = undefined;
}
