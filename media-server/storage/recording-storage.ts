// Where recordings live. FFmpeg writes segments to a local working directory; a closed segment is
// committed to the store under a key `<roomId>/<track>/<file>`. Local disk is the default; an
// S3-compatible store implements the same interface for several machines (docs/decisions/034).
import type { Readable } from "node:stream";

export interface RecordingStorage {
  /** A local directory FFmpeg may write a room's segments into before they are committed. */
  workDir(roomId: string): Promise<string>;
  /** Moves a closed local segment into the store. */
  commit(key: string, localFile: string): Promise<void>;
  read(key: string): Promise<Readable>;
  /** A local path readable by FFmpeg (playback remux); remote stores download it first. */
  localPath(key: string): Promise<string>;
  size(key: string): Promise<number | null>;
  /** Size and last change of a stored object (null when absent): a cached check of it stays valid while both do. */
  stat(key: string): Promise<{ size: number; modifiedMs: number } | null>;
  writeText(key: string, text: string): Promise<void>;
  readText(key: string): Promise<string | null>;
  listRooms(): Promise<string[]>;
}
