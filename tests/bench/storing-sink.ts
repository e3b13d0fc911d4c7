// bench:submit's third target (docs/decisions/050): a bare Node HTTP sink that does, per byte,
// only what any server taking sealed bids must do with it — store it durably and SHA-256 it
// twice (the receipt's envelope hash and the chunk digests checked against the signed manifest)
// — with the server's own ingest threads (app/features/bids/upload/ingest-threads.server.ts: direct I/O, both hashes
// in one pass), and nothing else: no sessions, no tus rules, no admission, no envelope walk, no
// signature checks, no database, no receipts. Its throughput against the bare sink's bounds
// what the ratio can be on the machine at hand.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { writeBody } from "../../app/features/bids/upload/envelope-intake.server.ts";
import { IngestJob } from "../../app/features/bids/upload/ingest-threads.server.ts";

const dir = process.env.SINK_DIR ?? "";
if (!dir) throw new Error("SINK_DIR is required");
const RANGE = 1 << 20;
let n = 0;

const server = http.createServer((req, res) => {
  if (req.method === "POST") {
    const id = String(++n);
    fs.writeFileSync(path.join(dir, id), "");
    req.resume();
    req.on("end", () => {
      res.writeHead(201, { Location: `/sink/${id}`, "Tus-Resumable": "1.0.0" });
      res.end();
    });
    return;
  }
  const id = (req.url ?? "").split("/").pop() ?? "";
  const file = path.join(dir, id);
  const size = Number(req.headers["content-length"] ?? 0);
  const job = new IngestJob({ file, write: true, hash: true });
  // Ranges the size of a chunk record: each byte is hashed a second time, as chunk digests are.
  const digests: Promise<Uint8Array>[] = [];
  for (let at = 0; at < size; at += RANGE) digests.push(job.range(at, Math.min(size, at + RANGE)));
  // The server's own body loop (pause while the threads are behind, resume on drain).
  void writeBody(req, job)
    .then(async ({ offset }) => {
      const sha256 = await job.finish();
      await Promise.all(digests);
      const handle = await fs.promises.open(file, "r");
      await handle.sync();
      await handle.close();
      res.writeHead(204, { "Upload-Offset": String(offset), "Tus-Resumable": "1.0.0", "X-Sha256": sha256 });
      res.end();
    })
    .catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
});

server.listen(Number(process.env.SINK_PORT), "127.0.0.1", () => console.log("sink listening"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
