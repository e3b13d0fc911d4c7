import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { HttpAuditSink } from "./http-audit-sink.ts";

/** A stand-in for the app's /internal/audit endpoint that can be switched off and on. */
async function fakeApp(secret: string) {
  const received: unknown[] = [];
  let up = false;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (!up) return void res.writeHead(503).end();
      if (req.url !== "/internal/audit" || req.headers.authorization !== `Bearer ${secret}`) return void res.writeHead(401).end();
      received.push(JSON.parse(body));
      res.writeHead(201).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    setUp: (value: boolean) => void (up = value),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe("HttpAuditSink", () => {
  it("keeps entries on disk while the app is down and delivers them in order when it is back", async () => {
    const secret = "internal-secret-0123456789";
    const app = await fakeApp(secret);
    const spoolDir = await fs.mkdtemp(path.join(os.tmpdir(), "audit-spool-"));
    const first = new HttpAuditSink({ appInternalUrl: app.url, internalSecret: secret, spoolDir, retryDelayMs: 50 });
    await first.start();
    await first.append({ action: "a", subject: "s", data: { n: 1 } });
    await first.append({ action: "a", subject: "s", data: { n: 2 } });
    await new Promise((r) => setTimeout(r, 100));
    await first.close();
    expect(app.received).toEqual([]);
    expect((await fs.readdir(spoolDir)).filter((f) => f.endsWith(".json"))).toHaveLength(2);

    app.setUp(true);
    const second = new HttpAuditSink({ appInternalUrl: app.url, internalSecret: secret, spoolDir, retryDelayMs: 50 });
    await second.start();
    await second.append({ action: "a", subject: "s", data: { n: 3 } });
    await second.flush();
    expect(app.received.map((e) => (e as { data: { n: number } }).data.n)).toEqual([1, 2, 3]);
    const eventIds = app.received.map((e) => (e as { eventId: string }).eventId);
    expect(new Set(eventIds).size).toBe(3);
    expect(await fs.readdir(spoolDir)).toEqual([]);
    await second.close();
    await app.close();
  });
});
