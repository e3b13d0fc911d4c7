import http from "node:http";
import type { AddressInfo } from "node:net";
import { handleBidUpload } from "~/features/bids/upload/tus-upload.server.ts";

/** The bid upload path as server.ts serves it (straight from Node's request), on a free loopback port. */
export async function startUploadServer(): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    req.headers["x-mb-remote-addr"] = "127.0.0.1";
    handleBidUpload(req, res).catch((error: unknown) => {
      console.error(error);
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
