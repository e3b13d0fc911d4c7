import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import type { RecordingStorage } from "./recording-storage.ts";

const SAFE_KEY = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*(\/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$/;

/** Recordings as plain files under one root directory (RECORDINGS_DIR). */
export class LocalDiskStorage implements RecordingStorage {
  private readonly root: string;

  // Absolute, so paths handed to FFmpeg (whose concat lists resolve relative paths against the
  // list file's own directory) mean the same thing wherever they are used.
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private resolve(key: string): string {
    // Keys come from room ids and track names; refuse anything that could leave the root.
    if (!SAFE_KEY.test(key) || key.split("/").includes("..")) throw new Error(`unsafe storage key: ${key}`);
    return path.join(this.root, key);
  }

  async workDir(roomId: string): Promise<string> {
    const dir = this.resolve(roomId);
    await fsp.mkdir(dir, { recursive: true });
    return dir;
  }

  async commit(key: string, localFile: string): Promise<void> {
    const target = this.resolve(key);
    if (path.resolve(localFile) === path.resolve(target)) return;
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(localFile, target);
  }

  async read(key: string): Promise<Readable> {
    const file = this.resolve(key);
    await fsp.access(file);
    return fs.createReadStream(file);
  }

  async localPath(key: string): Promise<string> {
    return this.resolve(key);
  }

  async size(key: string): Promise<number | null> {
    const stat = await fsp.stat(this.resolve(key)).catch(() => null);
    return stat ? stat.size : null;
  }

  async stat(key: string): Promise<{ size: number; modifiedMs: number } | null> {
    const stat = await fsp.stat(this.resolve(key)).catch(() => null);
    return stat ? { size: stat.size, modifiedMs: stat.mtimeMs } : null;
  }

  async writeText(key: string, text: string): Promise<void> {
    const file = this.resolve(key);
    await fsp.mkdir(path.dirname(file), { recursive: true });
    // Write then rename: a crash never leaves a half-written manifest.
    const tmp = `${file}.${process.pid}.tmp`;
    await fsp.writeFile(tmp, text);
    await fsp.rename(tmp, file);
  }

  async readText(key: string): Promise<string | null> {
    return fsp.readFile(this.resolve(key), "utf8").catch(() => null);
  }

  async listRooms(): Promise<string[]> {
    const entries = await fsp.readdir(this.root, { withFileTypes: true }).catch(() => []);
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  }
}
