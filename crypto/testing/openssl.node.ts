import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface OpensslResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run /usr/bin/openssl; a non-zero exit is returned, not thrown, so tests can assert on it. */
export async function openssl(args: string[], cwd?: string): Promise<OpensslResult> {
  try {
    const { stdout, stderr } = await run("/usr/bin/openssl", args, { cwd, encoding: "utf8" });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

export async function withTempDir<T>(
  fn: (dir: string, write: (name: string, data: string | Uint8Array) => Promise<string>) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "mb-crypto-"));
  try {
    return await fn(dir, async (name, data) => {
      const file = path.join(dir, name);
      await writeFile(file, data);
      return file;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
