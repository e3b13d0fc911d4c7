// The HTTP stack in front of Remix, against a real server process: body caps before any
// parsing (memory stays flat under a 300 MB anonymous POST) and a malformed Origin is a 400.
import net from "node:net";
import { startServer, type TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

interface RawAnswer {
  status: number;
  /** Body bytes the client managed to send before the server answered or closed. */
  sent: number;
  text: string;
}

/**
 * Sends `head` and then up to `bodyBytes` of zeros (as chunks when `chunked`), as fast as the
 * socket takes them, and stops once the server answers or closes.
 */
function rawRequest(head: string, bodyBytes: number, chunked = false): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1");
    const piece = Buffer.alloc(256 * 1024);
    let sent = 0;
    let received = "";
    let answered = false;
    const pump = () => {
      while (!answered && sent < bodyBytes) {
        const n = Math.min(piece.length, bodyBytes - sent);
        const data = chunked
          ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from("\r\n")])
          : piece.subarray(0, n);
        sent += n;
        if (!socket.write(data)) return void socket.once("drain", pump);
      }
      if (!answered && chunked) socket.write("0\r\n\r\n");
    };
    socket.on("connect", () => {
      socket.write(head);
      pump();
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (/\r\n\r\n/.test(received)) answered = true;
    });
    // A reset after the answer arrived is the server cutting a client off that kept sending.
    socket.on("error", (error) => {
      if (!received) reject(new Error(`no answer before ${error.message} (${sent} bytes sent)`));
    });
    socket.on("close", () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, sent, text: received });
    });
    // Once answered, this client hangs up too (a browser would).
    const check = setInterval(() => {
      if (answered) {
        clearInterval(check);
        socket.end();
      }
    }, 20);
    socket.once("close", () => clearInterval(check));
  });
}

function postHead(path: string, headers: Record<string, string>): string {
  const lines = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${server.port}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join("\r\n")}\r\n\r\n`;
}

describe("body caps before any parsing", () => {
  it("answers an anonymous 300 MB POST to /login with 413 without reading it; the server's memory stays flat", async () => {
    const before = server.rss();
    const size = 300 * 1024 * 1024;
    const answer = await rawRequest(
      postHead("/login", { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(size) }),
      size,
    );
    expect(answer.status, answer.text).toBe(413);
    // Far less than the body went out before the answer (socket buffers only).
    expect(answer.sent).toBeLessThan(size / 4);
    expect(server.rss() - before, `RSS ${before} → ${server.rss()}`).toBeLessThan(20 * 1024 * 1024);
    expect(server.alive()).toBe(true);
  });

  it("cuts a chunked body without Content-Length off at the cap with 413", async () => {
    const before = server.rss();
    const size = 200 * 1024 * 1024;
    const answer = await rawRequest(
      postHead("/login", { "Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked" }),
      size,
      true,
    );
    expect(answer.status, answer.text).toBe(413);
    expect(answer.sent).toBeLessThan(size / 4);
    expect(server.rss() - before, `RSS ${before} → ${server.rss()}`).toBeLessThan(20 * 1024 * 1024);
    expect(server.alive()).toBe(true);
  });

  it("caps the internal JSON endpoint and every action route, and lets an ordinary form through", async () => {
    const big = 2 * 1024 * 1024;
    const internal = await rawRequest(
      postHead("/internal/audit", { "Content-Type": "application/json", "Content-Length": String(big) }),
      big,
    );
    expect(internal.status).toBe(413);
    const signup = await rawRequest(
      postHead("/signup", { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(big) }),
      big,
    );
    expect(signup.status).toBe(413);
    // A small form reaches the action: here it is refused for its missing CSRF token.
    const small = await fetch(`${server.url}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: "a@b.cn", password: "x" }),
      redirect: "manual",
    });
    expect(small.status).toBe(403);
  });
});

describe("Origin check", () => {
  it.each(["http://[::1", "%%", "http://"])("answers the malformed Origin %s with 400 and a message", async (origin) => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: origin },
      body: new URLSearchParams({ email: "a@b.cn" }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/Malformed Origin/);
  });

  it("refuses an opaque Origin (null) with 403 instead of failing in Remix's own check (500)", async () => {
    const res = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: "null" },
      body: new URLSearchParams({ email: "a@b.cn" }),
    });
    expect(res.status).toBe(403);
  });

  it("still refuses another site (403) and lets the same site through to the action", async () => {
    const other = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: "https://evil.example" },
      body: new URLSearchParams({ email: "a@b.cn" }),
    });
    expect(other.status).toBe(403);
    expect(await other.text()).toMatch(/Cross-site/);
    const same = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { Origin: server.url },
      body: new URLSearchParams({ email: "a@b.cn" }),
      redirect: "manual",
    });
    // Reaches the action, which wants its CSRF token.
    expect(same.status).toBe(403);
    expect(await same.text()).not.toMatch(/Cross-site/);
  });
});

describe("bad input found by the fuzz test", () => {
  it("answers a path that does not decode with 400, not 500", async () => {
    const res = await fetch(`${server.url}/%E0%A4%A`);
    expect(res.status).toBe(400);
  });

  it("answers a body that is not a form with 415, and a multipart body without a boundary with 400", async () => {
    const json = await fetch(`${server.url}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    expect(json.status).toBe(415);
    const raw = await fetch(`${server.url}/logout`, {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data" },
      body: "x",
    });
    expect(raw.status).toBe(400);
  });

  it("answers a tus request for concatenation (not offered) with 400, not 501", async () => {
    const res = await fetch(`${server.url}/uploads/bids`, {
      method: "POST",
      headers: { "Tus-Resumable": "1.0.0", "Upload-Concat": "final;/uploads/bids/a /uploads/bids/b" },
    });
    expect(res.status).toBe(400);
  });
});
