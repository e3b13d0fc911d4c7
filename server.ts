// The custom Node server: Express serving the Remix build, socket.io on the same HTTP server,
// bull workers, graceful shutdown on SIGTERM/SIGINT. Started by `npm start` (after setup).
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import morgan from "morgan";
import { Server as SocketServer } from "socket.io";
import { CONFIG_ERROR_EXIT, exitOnUnhandledRejection } from "./scripts/process-guard.mjs";
import { bodyLimit, countChunkedBody, sameOrigin } from "./app/platform/http-guards.server.ts";
import { env, type Env } from "./app/platform/env.server.ts";

const root = path.dirname(fileURLToPath(import.meta.url));

// The process's settings, parsed once before anything starts (the app's one schema). A bad
// variable: restarting would not help, so the launcher stops (scripts/start.mjs).
function configOrExit(): Env {
  try {
    return env();
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(CONFIG_ERROR_EXIT);
  }
}
const config = configOrExit();

interface AppEntry {
  startServices(ctx: { io: SocketServer }): Promise<void>;
  stopServices(): Promise<void>;
  handleBidUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  publicCache(req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void): void;
}

const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
const entry = build.entry.module as unknown as AppEntry;

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", config.TRUST_PROXY);
app.use(
  compression({
    filter: (req, res) => !req.path.startsWith("/internal/") && !req.path.startsWith("/uploads/") && compression.filter(req, res),
  }),
);
// Public pages and feeds: answered from the public cache, rendered through the public gate
// (503 + Retry-After under overload), validators and Cache-Control on every answer (decision 070).
// Before the static files: none of its paths is a file, and a hit then costs no file-system look-up.
app.use((req, res, next) => entry.publicCache(req, res, next));
app.use("/build", express.static(path.join(root, "public/build"), { immutable: true, maxAge: "1y" }));
app.use(express.static(path.join(root, "public"), { maxAge: "1h" }));
app.use(morgan(config.NODE_ENV === "production" ? "combined" : "dev", { skip: (req) => req.url === "/healthz" }));

// The client address is set here from the socket, overwriting anything a client sent.
app.use((req, _res, next) => {
  req.headers["x-mb-remote-addr"] = req.ip ?? "";
  next();
});

// Bodies over the route's cap are refused before anything reads them; then the Origin check.
app.use(bodyLimit());
app.use(sameOrigin());

// Resumable (tus) uploads of sealed bids go straight to their handler, with Node streams.
app.all(["/uploads/bids", "/uploads/bids/*"], (req, res, next) => {
  entry.handleBidUpload(req, res).catch(next);
});

const remix = createRequestHandler({ build, mode: config.NODE_ENV });
app.all("*", (req, res, next) => {
  countChunkedBody(req, res);
  void remix(req, res, next);
});

// A request that throws outside Remix's own handling gets a 500 page; the process lives on.
// Errors that carry a client status (Express's own: a path that does not decode is a 400) keep it.
app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    if (!res.headersSent) res.status(status).type("text/plain").send("Bad request");
    return;
  }
  console.error(error);
  if (!res.headersSent) res.status(500).type("text/plain").send("Internal error");
});

const server = http.createServer(app);
const io = new SocketServer(server, { serveClient: false });
// Logged, then this process exits and the launcher restarts it (the media server lives on).
exitOnUnhandledRejection("app server");

try {
  await entry.startServices({ io });
} catch (error) {
  // A bad variable: restarting would not help, so the launcher stops (scripts/start.mjs).
  if ((error as Error).message.startsWith("Invalid environment")) {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(CONFIG_ERROR_EXIT);
  }
  throw error;
}
const port = config.PORT;
const host = config.HOST;
server.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EADDRINUSE") {
    console.error(`✗ ${host}:${port} is already in use. Stop the other program or set PORT in .env.`);
  } else {
    console.error(`✗ cannot listen on ${host}:${port}: ${error.message}`);
  }
  process.exit(1);
});
server.listen(port, host, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  console.log(`MingBiao listening on http://${host}:${actual}`);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: closing connections…`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  // Closes every socket.io connection and then the HTTP server itself.
  await new Promise<void>((resolve) => io.close(() => resolve()));
  await entry.stopServices();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
