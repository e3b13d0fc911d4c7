import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import * as storage from "../../platform/storage.server.ts";
import type { StagedFile } from "../../platform/storage.server.ts";
import { malformedBody } from "../../platform/request.server.ts";

/**
 * Multipart forms with one PDF (tender documents, clarification attachments). The file part is
 * streamed to a temporary file (never buffered whole in memory) and checked: not empty, within
 * the size limit, starts with the %PDF- magic bytes. Nothing is stored until the action commits
 * it after its own checks; every refused or unused upload is discarded.
 */

/** Staging the file failed on our side (disk): not the client's fault. */
class StorageFailure extends Error {
  constructor(readonly reason: unknown) {
    super(`staging the upload failed: ${String(reason)}`);
  }
}

export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
const MAX_TEXT_FIELD_BYTES = 64 * 1024;
const PDF_MAGIC = Buffer.from("%PDF-", "latin1");

export interface StagedUpload {
  fileName: string;
  staged: StagedFile;
}

export type UploadProblem = "empty" | "tooLarge" | "notPdf" | "missing" | "tooMany";

export interface ParsedUpload {
  form: FormData;
  file: StagedUpload | null;
  problem: UploadProblem | null;
  /** Removes the staged file (call when the action refuses or has already committed it). */
  discard(): Promise<void>;
}

export function isMultipart(request: Request): boolean {
  return (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
}

/** The browser's file name, reduced to its last path segment and safe characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>|:*?]/g, "")
    .trim()
    .slice(0, 200);
  return cleaned || "document.pdf";
}

async function readText(data: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > MAX_TEXT_FIELD_BYTES) throw new Response("Form field too large", { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Parses a multipart request whose file field is `fileField`. A declared Content-Length far
 * beyond the limit is refused before reading the body.
 */
export async function parseUpload(request: Request, fileField = "file", maxBytes = MAX_DOCUMENT_BYTES): Promise<ParsedUpload> {
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes + 1024 * 1024) {
    throw new Response("The file is larger than the limit.", { status: 413 });
  }
  let file: StagedUpload | null = null;
  let problem: UploadProblem | null = null;
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== fileField || filename === undefined) return readText(data);
    const staged = await storage.stage(data, maxBytes).catch((error: unknown) => {
      throw new StorageFailure(error);
    });
    if (filename === "" && staged.sizeBytes === 0) {
      // An empty file input: the browser sends a part with no name and no content.
      await storage.discard(staged);
      return undefined;
    }
    if (file) {
      await storage.discard(staged);
      problem = "tooMany";
      return undefined;
    }
    if (staged.tooLarge) problem = "tooLarge";
    else if (staged.sizeBytes === 0) problem = "empty";
    else if (!staged.head.subarray(0, PDF_MAGIC.length).equals(PDF_MAGIC)) problem = "notPdf";
    if (problem) {
      await storage.discard(staged);
      return undefined;
    }
    file = { fileName: cleanFileName(filename), staged };
    return file.fileName;
  };
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    const pending = file as StagedUpload | null;
    if (pending) await storage.discard(pending.staged);
    // Our own refusals (413) and storage failures pass; a body the parser cannot read (no
    // boundary, cut off, not multipart at all) is the client's fault: 400.
    if (error instanceof Response || error instanceof StorageFailure) throw error;
    throw malformedBody("multipart form");
  }
  const result = file as StagedUpload | null;
  return {
    form,
    file: result,
    problem: problem ?? null,
    async discard() {
      if (result) await storage.discard(result.staged);
    },
  };
}
