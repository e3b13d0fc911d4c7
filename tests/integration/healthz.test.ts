import net from "node:net";

// A port nobody listens on: the media server is "down".
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("public /healthz (issue 11, item 7)", () => {
  it("shows states only: no error texts, hosts, ports or timings", async () => {
    const port = await closedPort();
    process.env.MEDIA_URL = `http://127.0.0.1:${port}`;
    const { loader } = await import("~/routes/healthz.ts");
    const { disconnectDb } = await import("~/platform/db.server.ts");
    const { closeRedis } = await import("~/platform/redis.server.ts");
    try {
      const res = await loader();
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: "down", checks: { database: "ok", redis: "ok", media: "down" } });
      expect(text).not.toMatch(new RegExp(`${port}|127\\.0\\.0\\.1|ECONNREFUSED|fetch failed|ms`));
    } finally {
      await closeRedis();
      await disconnectDb();
    }
  });
});
