import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { LocalDiskStorage } from "./local-disk-storage.ts";

describe("LocalDiskStorage", () => {
  it("stores and reads text under room keys", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "storage-"));
    const storage = new LocalDiskStorage(root);
    await storage.writeText("room-1/manifest.json", "{}");
    expect(await storage.readText("room-1/manifest.json")).toBe("{}");
    expect(await storage.readText("room-1/absent.json")).toBeNull();
    expect(await storage.listRooms()).toEqual(["room-1"]);
  });

  it("refuses keys that could leave the root", async () => {
    const storage = new LocalDiskStorage(os.tmpdir());
    await expect(storage.readText("../etc/passwd")).rejects.toThrow(/unsafe/);
    await expect(storage.writeText("/abs/path", "")).rejects.toThrow(/unsafe/);
    await expect(storage.writeText("a/../../b", "")).rejects.toThrow(/unsafe/);
  });
});
