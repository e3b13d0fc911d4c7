// Runs in the bidder's browser. The bid files and the 唱标 form are sealed here (crypto/ envelope
// v1, WebCrypto AES-256-GCM) into a file in the browser's private storage (OPFS), and only that
// ciphertext is uploaded, resumably (tus). Plaintext never leaves the page.
import * as tus from "tus-js-client";
import {
  blobSource,
  certFromPem,
  importP12,
  sealEnvelope,
  type SealFile,
  toHex,
  utf8,
  webCryptoCipher,
} from "../../../crypto/browser.ts";
import forge from "node-forge";

export interface SealParams {
  tenderId: string;
  readOut: Record<string, string>;
  files: File[];
  p12: File;
  password: string;
  encryptionCertPem: string;
  expectedSigningSerial: string;
  escrow: { serial: string; publicKeyPem: string };
  onProgress: (fraction: number) => void;
}

export interface SealedEnvelope {
  opfsName: string;
  size: number;
  deviceFingerprint: string;
  documentMeta: Record<string, string>;
}

async function sha256Hex(text: string): Promise<string> {
  return toHex(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text) as Uint8Array<ArrayBuffer>)));
}

/** Collusion indicator (Regs Art 40): a hash of this device's stable characteristics. */
export function deviceFingerprint(): Promise<string> {
  const parts = [
    navigator.userAgent,
    navigator.language,
    String(navigator.hardwareConcurrency),
    `${screen.width}x${screen.height}x${screen.colorDepth}`,
    Intl.DateTimeFormat().resolvedOptions().timeZone,
  ];
  return sha256Hex(parts.join("|"));
}

/** Hashes (never the values) of PDF author/creator fields, so identical origins can be compared. */
async function documentMeta(files: File[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [i, file] of files.entries()) {
    if (!file.name.toLowerCase().endsWith(".pdf")) continue;
    const head = await file.slice(0, 64 * 1024).text();
    const tail = await file.slice(Math.max(0, file.size - 64 * 1024)).text();
    for (const field of ["Author", "Creator", "Producer"]) {
      const match = new RegExp(`/${field}\\s*\\(([^)]{1,200})\\)`).exec(head + tail);
      if (match?.[1]) out[`${i}.${field.toLowerCase()}`] = await sha256Hex(match[1]);
    }
  }
  return out;
}

function counted(source: AsyncIterable<Uint8Array>, onBytes: (n: number) => void): AsyncIterable<Uint8Array> {
  return {
    async *[Symbol.asyncIterator]() {
      for await (const piece of source) {
        onBytes(piece.length);
        yield piece;
      }
    },
  };
}

export class SealError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Seals the bid into OPFS with bounded memory (one chunk at a time) and returns its name. */
export async function sealBid(p: SealParams): Promise<SealedEnvelope> {
  let identity;
  try {
    identity = importP12(new Uint8Array(await p.p12.arrayBuffer()), p.password);
  } catch (error) {
    const code = (error as { code?: string }).code ?? "CRYPTO.MALFORMED";
    throw new SealError(code === "CRYPTO.WRONG_PASSWORD" ? "bid.p12WrongPassword" : "bid.p12Invalid");
  }
  if (identity.certificate.serialNumber.toLowerCase() !== p.expectedSigningSerial.toLowerCase()) {
    throw new SealError("bid.p12NotSigningCert");
  }
  const form = new File([JSON.stringify({ tenderId: p.tenderId, readOut: p.readOut })], "唱标信息.json", {
    type: "application/json",
  });
  const all = [form, ...p.files];
  const total = all.reduce((n, f) => n + f.size, 0) || 1;
  let done = 0;
  const files: SealFile[] = all.map((f) => ({
    name: f.name,
    data: counted(blobSource(f), (n) => {
      done += n;
      p.onProgress(done / total);
    }),
  }));
  const escrowKey = forge.pki.publicKeyFromPem(p.escrow.publicKeyPem) as forge.pki.rsa.PublicKey;
  const root = await navigator.storage.getDirectory();
  const opfsName = `bid-${p.tenderId}-${Date.now()}.mbseal`;
  const handle = await root.getFileHandle(opfsName, { create: true });
  const writable = await handle.createWritable();
  let size = 0;
  try {
    const generator = sealEnvelope({
      tenderId: p.tenderId,
      files,
      bidderEncryptionCert: certFromPem(p.encryptionCertPem),
      escrow: { publicKey: escrowKey, serial: p.escrow.serial },
      signer: { cert: identity.certificate, key: identity.privateKey, chain: identity.chain },
      now: new Date(),
      cipher: webCryptoCipher,
    });
    for (;;) {
      const next = await generator.next();
      if (next.done) break;
      size += next.value.length;
      await writable.write(next.value as Uint8Array<ArrayBuffer>);
    }
    await writable.close();
  } catch (error) {
    await writable.abort();
    await root.removeEntry(opfsName).catch(() => undefined);
    throw error;
  }
  return { opfsName, size, deviceFingerprint: await deviceFingerprint(), documentMeta: await documentMeta(p.files) };
}

export async function sealedFile(opfsName: string): Promise<File | null> {
  try {
    const root = await navigator.storage.getDirectory();
    return await (await root.getFileHandle(opfsName)).getFile();
  } catch {
    return null;
  }
}

export async function discardSealed(opfsName: string): Promise<void> {
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(opfsName).catch(() => undefined);
}

/** The envelope waiting to be uploaded for a tender survives a closed tab (localStorage + OPFS). */
export interface PendingUpload {
  opfsName: string;
  deviceFingerprint: string;
  documentMeta: Record<string, string>;
}

const pendingKey = (tenderId: string) => `mingbiao.pending-bid.${tenderId}`;

export function savePending(tenderId: string, pending: PendingUpload): void {
  localStorage.setItem(pendingKey(tenderId), JSON.stringify(pending));
}

export function loadPending(tenderId: string): PendingUpload | null {
  const raw = localStorage.getItem(pendingKey(tenderId));
  return raw ? (JSON.parse(raw) as PendingUpload) : null;
}

export function clearPending(tenderId: string): void {
  localStorage.removeItem(pendingKey(tenderId));
}

export interface UploadResult {
  status: number;
  body: string;
}

/**
 * Uploads the sealed envelope with tus; a dropped connection is retried, and an upload begun
 * before a closed tab resumes from the server's offset (tus-js-client keeps its URL by file
 * fingerprint).
 */
export function uploadSealed(
  tenderId: string,
  file: File,
  pending: PendingUpload,
  handlers: {
    onProgress: (fraction: number) => void;
    onError: (status: number, body: string, uploadId: string | null) => void;
    onSuccess: (r: UploadResult, uploadId: string | null) => void;
  },
): tus.Upload {
  const upload = new tus.Upload(file, {
    endpoint: "/uploads/bids",
    chunkSize: 4 * 1024 * 1024,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    removeFingerprintOnSuccess: true,
    storeFingerprintForResuming: true,
    fingerprint: async () => `mingbiao-${tenderId}-${pending.opfsName}-${file.size}`,
    metadata: {
      tenderId,
      filename: pending.opfsName,
      deviceFingerprint: pending.deviceFingerprint,
      documentMeta: JSON.stringify(pending.documentMeta),
    },
    onProgress: (sent, total) => handlers.onProgress(total ? sent / total : 0),
    onShouldRetry: (error) => {
      const status = (error as tus.DetailedError).originalResponse?.getStatus() ?? 0;
      // Refusals (deadline passed, bad envelope) are final; network trouble, and too many of
      // this bidder's uploads at once (429), are retried.
      return status === 0 || status >= 500 || status === 423 || status === 429;
    },
    onError: (error) => {
      const response = (error as tus.DetailedError).originalResponse;
      handlers.onError(response?.getStatus() ?? 0, response?.getBody() ?? "", uploadIdOf(upload.url));
    },
    onSuccess: (payload) =>
      handlers.onSuccess(
        { status: payload.lastResponse.getStatus(), body: payload.lastResponse.getBody() ?? "" },
        uploadIdOf(upload.url),
      ),
  });
  void upload.findPreviousUploads().then((previous) => {
    const last = previous[0];
    if (last) upload.resumeFromPreviousUpload(last);
    upload.start();
  });
  return upload;
}

function uploadIdOf(url: string | null): string | null {
  if (!url) return null;
  const last = new URL(url, location.href).pathname.split("/").pop();
  return last || null;
}

/** The receipt an upload's last answer carried, if it did (a HEAD that found it complete carries none). */
export function receiptInAnswer(body: string): { versionId: string; receipt: unknown } | null {
  try {
    const parsed = JSON.parse(body) as { versionId?: unknown; receipt?: unknown };
    return typeof parsed.versionId === "string" && parsed.receipt
      ? { versionId: parsed.versionId, receipt: parsed.receipt }
      : null;
  } catch {
    return null;
  }
}

export type ReceiptWait = "finalising" | "unreachable";
export type ReceiptResult =
  | { kind: "receipt"; versionId: string; receipt: unknown }
  | { kind: "incomplete" }
  | { kind: "refused"; error: string }
  | { kind: "unknown" }
  | { kind: "stopped" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the server for the receipt of an upload until it has one (docs/decisions/056): while the
 * server finalises the bid, or cannot be reached, `onWait` says what the page waits for. The page
 * shows 提交成功 only with the receipt this returns.
 */
export async function awaitReceipt(
  tenderId: string,
  uploadId: string,
  onWait: (why: ReceiptWait) => void,
  signal: AbortSignal,
): Promise<ReceiptResult> {
  while (!signal.aborted) {
    let response: Response | null = null;
    try {
      response = await fetch(`/bids/${tenderId}/uploads/${uploadId}`, { headers: { Accept: "application/json" }, signal });
    } catch {
      response = null;
    }
    if (signal.aborted) break;
    if (response?.status === 200) {
      const body = (await response.json()) as { versionId: string; receipt: unknown };
      return { kind: "receipt", versionId: body.versionId, receipt: body.receipt };
    }
    if (response?.status === 409) return { kind: "incomplete" };
    if (response?.status === 404) return { kind: "unknown" };
    if (response && response.status >= 400 && response.status < 500) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      return { kind: "refused", error: body.error ?? "bid.uploadFailed" };
    }
    onWait(response?.status === 202 ? "finalising" : "unreachable");
    const retryAfter = Number(response?.headers.get("Retry-After") ?? "3");
    await sleep(Math.min(Math.max(Number.isFinite(retryAfter) ? retryAfter : 3, 1), 30) * 1000);
  }
  return { kind: "stopped" };
}
