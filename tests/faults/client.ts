// A bidder's client as the page behaves (tus-js-client + app/bid-browser.ts), over raw HTTP so a
// test can stop a body halfway: create, PATCH, and after any failure resume from HEAD until the
// receipt is in hand. "Submitted" is only ever claimed with a receipt; an answer that says
// complete without one is counted (it must never happen).
import { createHash } from "node:crypto";
import http from "node:http";
import { sleep } from "./harness.ts";

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Receipt {
  versionId: string;
  receipt: { statement: { envelope: { sha256: string }; receivedAt: string } };
}

export class BidClient {
  url = "";
  /** Answers that said "complete" (offset = size, no 423) without a receipt in hand. */
  completeWithoutReceipt = 0;
  /** How the receipt came: in the last PATCH's answer, or from the receipt endpoint. */
  via: "patch" | "endpoint" | null = null;
  resumed = false;
  statuses: number[] = [];
  private stalled: http.ClientRequest | null = null;

  constructor(
    private base: string,
    readonly cookie: string,
    readonly tenderId: string,
    readonly bytes: Buffer,
  ) {}

  get id(): string {
    return this.url.split("/").pop() ?? "";
  }

  get sha256(): string {
    return createHash("sha256").update(this.bytes).digest("hex");
  }

  setBase(base: string): void {
    this.base = base;
  }

  private request(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.base}${path}`,
        { method, headers: { "Tus-Resumable": "1.0.0", Cookie: this.cookie, ...headers } },
        (res) => {
          const parts: Buffer[] = [];
          res.on("data", (c: Buffer) => parts.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }

  async create(): Promise<void> {
    const meta = `tenderId ${Buffer.from(this.tenderId).toString("base64")}`;
    const res = await this.request("POST", "/uploads/bids", {
      "Upload-Length": String(this.bytes.length),
      "Upload-Metadata": meta,
      "Content-Length": "0",
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${res.body}`);
    this.url = new URL(res.headers.location as string, this.base).pathname;
  }

  /** PATCH bytes [from, to) in one request; a 200 must carry the receipt. */
  async patch(from: number, to = this.bytes.length): Promise<Answer> {
    const res = await this.request(
      "PATCH",
      this.url,
      { "Upload-Offset": String(from), "Content-Type": "application/offset+octet-stream", "Content-Length": String(to - from) },
      this.bytes.subarray(from, to),
    );
    this.statuses.push(res.status);
    if (res.status === 204 && Number(res.headers["upload-offset"]) === this.bytes.length) this.completeWithoutReceipt++;
    return res;
  }

  /**
   * Starts a PATCH of the rest from `from`, sends `sentBytes` of it and stops sending (the body
   * is "mid-way" when the fault comes). Resolves when those bytes are handed to the socket.
   */
  startStalledPatch(from: number, sentBytes: number): Promise<void> {
    return new Promise((resolve) => {
      const req = http.request(
        `${this.base}${this.url}`,
        {
          method: "PATCH",
          headers: {
            "Tus-Resumable": "1.0.0",
            Cookie: this.cookie,
            "Upload-Offset": String(from),
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": String(this.bytes.length - from),
          },
        },
        (res) => {
          this.statuses.push(res.statusCode ?? 0);
          res.resume();
        },
      );
      req.on("error", () => undefined);
      this.stalled = req;
      req.write(this.bytes.subarray(from, from + sentBytes), () => resolve());
    });
  }

  /** The stalled body's connection goes (its client gave up, or the server died). */
  dropStalled(): void {
    this.stalled?.destroy();
    this.stalled = null;
  }

  /** The receipt from the last PATCH's answer, when it carried one. */
  private static receiptIn(body: string): Receipt | null {
    try {
      const parsed = JSON.parse(body) as Partial<Receipt>;
      return parsed.versionId && parsed.receipt ? (parsed as Receipt) : null;
    } catch {
      return null;
    }
  }

  /** What the page does after a failure or a receipt-less success: HEAD, resume, or ask the receipt endpoint. */
  async resumeToReceipt(tries = 600): Promise<Receipt> {
    for (let attempt = 0; attempt < tries; attempt++) {
      try {
        const head = await this.request("HEAD", this.url, {});
        if (head.status === 423) {
          await sleep(200);
          continue;
        }
        if (head.status !== 200) throw new Error(`HEAD ${this.url}: ${head.status}`);
        const offset = Number(head.headers["upload-offset"]);
        if (offset < this.bytes.length) {
          this.resumed = true;
          const res = await this.patch(offset);
          const receipt = res.status === 200 ? BidClient.receiptIn(res.body) : null;
          if (res.status === 200 && !receipt) this.completeWithoutReceipt++;
          if (receipt) {
            this.via = "patch";
            return receipt;
          }
          if (res.status >= 400 && res.status < 500 && res.status !== 409 && res.status !== 423)
            throw new Error(`refused: ${res.status} ${res.body}`);
          await sleep(200);
          continue;
        }
        // HEAD says complete: only the receipt endpoint may turn that into "submitted".
        const answer = await fetch(`${this.base}/bids/${this.tenderId}/uploads/${this.id}`, {
          headers: { Cookie: this.cookie, Accept: "application/json" },
        });
        if (answer.status === 200) {
          this.via = "endpoint";
          return (await answer.json()) as Receipt;
        }
        if (answer.status !== 202) this.completeWithoutReceipt++;
        await sleep(200);
      } catch (error) {
        if (error instanceof Error && (error.message.startsWith("refused") || error.message.startsWith("HEAD"))) throw error;
        // The server is down or restarting: retry, as tus-js-client does.
        await sleep(200);
      }
    }
    throw new Error(`no receipt for ${this.url} after ${tries} tries`);
  }
}
