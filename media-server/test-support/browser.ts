// Chromium with fake camera and microphone, and a throwaway 127.0.0.1 page server carrying the
// client library bundled with esbuild. Never downloads a browser: Debian's Chromium is used.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser } from "@playwright/test";

const here = path.dirname(fileURLToPath(import.meta.url));

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  "--use-fake-device-for-media-stream",
  "--use-fake-ui-for-media-stream",
  "--autoplay-policy=no-user-gesture-required",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

export async function servePage(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = await build({
    entryPoints: [path.join(here, "browser-page.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "chrome110",
    write: false,
  });
  const js = bundle.outputFiles[0]?.text ?? "";
  const html = `<!doctype html><meta charset="utf-8"><title>witness test</title><body><script src="/bundle.js"></script></body>`;
  const server = http.createServer((req, res) => {
    const isJs = req.url === "/bundle.js";
    res.writeHead(200, { "content-type": isJs ? "text/javascript" : "text/html; charset=utf-8" });
    res.end(isJs ? js : html);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}
