// Publish → subscribe → frames decoding, in Chromium with fake media devices, against a real
// media server: a room-device page publishes, a supervisor page shows live video and sound, and
// users without the supervisor role for the room are refused.
import type { Browser, Page } from "@playwright/test";
import { io } from "socket.io-client";
import { internal, startHarness, TOKEN_SECRET, waitFor, type Harness } from "../test-support/harness.ts";
import { launchChromium, servePage } from "../test-support/browser.ts";
import { signWitnessToken, witnessTokenExpiry, type WitnessClaims } from "../token.ts";
import type { RecordingManifest } from "../recording/manifest.ts";

let h: Harness;
let browser: Browser;
let page: { url: string; close(): Promise<void> };

const token = (c: Omit<WitnessClaims, "exp">) => signWitnessToken({ ...c, exp: witnessTokenExpiry() }, TOKEN_SECRET);

beforeAll(async () => {
  [h, browser, page] = await Promise.all([startHarness({ segmentSeconds: 2 }), launchChromium(), servePage()]);
  await internal(h, "POST", "/rooms", { roomId: "room-a", title: "第一评标室" });
  await internal(h, "POST", "/rooms", { roomId: "room-b", title: "第二评标室" });
});

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await h?.close();
});

async function openDevice(roomId: string, deviceId: string): Promise<Page> {
  const p = await browser.newPage();
  await p.goto(page.url);
  await p.evaluate(
    ({ url, t, roomId, deviceId }) => {
      (window as unknown as { states: string[] }).states = [];
      window.witness.publishDevice({
        url,
        token: t,
        roomId,
        deviceId,
        deviceKind: "camera+microphone",
        onState: (s) => (window as unknown as { states: string[] }).states.push(s),
      });
    },
    {
      url: h.server.url,
      t: token({ sub: `dev-${deviceId}`, name: deviceId, role: "device", roomIds: [roomId] }),
      roomId,
      deviceId,
    },
  );
  await p.waitForFunction(() => (window as unknown as { states: string[] }).states.includes("publishing"), null, {
    timeout: 20_000,
  });
  return p;
}

/** Opens a watcher page; resolves to the page and its final state list. */
async function openWatcher(t: string, roomIds: string[]): Promise<Page> {
  const p = await browser.newPage();
  await p.goto(page.url);
  await p.evaluate(
    ({ url, t, roomIds }) => {
      const w = window as unknown as { states: string[]; kinds: string[] };
      w.states = [];
      w.kinds = [];
      window.witness.subscribeRooms({
        url,
        token: t,
        roomIds,
        onState: (s, detail) => w.states.push(detail ? `${s}:${detail}` : s),
        onTrack: ({ track, kind, roomId }) => {
          w.kinds.push(`${roomId}/${kind}`);
          const el = document.createElement(kind === "video" ? "video" : "audio");
          el.autoplay = true;
          el.muted = true;
          el.srcObject = new MediaStream([track]);
          el.dataset.room = roomId;
          document.body.append(el);
        },
      });
    },
    { url: h.server.url, t, roomIds },
  );
  return p;
}

async function videoProgress(p: Page): Promise<{ frames: number; time: number }[]> {
  return p.evaluate(() =>
    [...document.querySelectorAll("video")].map((v) => ({
      frames: v.getVideoPlaybackQuality().totalVideoFrames,
      time: v.currentTime,
    })),
  );
}

describe("witness in the browser", () => {
  it("shows a room device's live camera and sound to a supervisor of that room", async () => {
    const device = await openDevice("room-a", "camera-1");
    const supervisor = await openWatcher(token({ sub: "sup-1", name: "监督员", role: "supervisor", roomIds: ["room-a"] }), [
      "room-a",
    ]);
    await supervisor.waitForFunction(() => (window as unknown as { kinds: string[] }).kinds.length === 2, null, {
      timeout: 20_000,
    });
    expect(await supervisor.evaluate(() => (window as unknown as { kinds: string[] }).kinds.sort())).toEqual([
      "room-a/audio",
      "room-a/video",
    ]);
    await supervisor.waitForFunction(
      () => (document.querySelector("video")?.getVideoPlaybackQuality().totalVideoFrames ?? 0) > 10,
      null,
      { timeout: 20_000 },
    );
    const before = (await videoProgress(supervisor))[0];
    await supervisor.waitForTimeout(1500);
    const after = (await videoProgress(supervisor))[0];
    expect(after?.frames).toBeGreaterThan((before?.frames ?? 0) + 10);
    expect(after?.time).toBeGreaterThan((before?.time ?? 0) + 1);
    await supervisor.close();
    await device.close();
  });

  it("shows several rooms on one wall", async () => {
    const devices = await Promise.all([openDevice("room-a", "camera-1"), openDevice("room-b", "camera-1")]);
    const wall = await openWatcher(token({ sub: "sup-2", name: "监督员", role: "supervisor", roomIds: ["room-a", "room-b"] }), [
      "room-a",
      "room-b",
    ]);
    await wall.waitForFunction(
      () => {
        const videos = [...document.querySelectorAll("video")];
        return videos.length === 2 && videos.every((v) => v.getVideoPlaybackQuality().totalVideoFrames > 5);
      },
      null,
      { timeout: 25_000 },
    );
    expect(await wall.evaluate(() => [...document.querySelectorAll("video")].map((v) => v.dataset.room).sort())).toEqual([
      "room-a",
      "room-b",
    ]);
    await wall.close();
    await Promise.all(devices.map((d) => d.close()));
  });

  it("refuses users without the supervisor role for the room", async () => {
    const cases = [
      token({ sub: "dev-x", name: "device", role: "device", roomIds: ["room-a"] }),
      token({ sub: "sup-b", name: "other room", role: "supervisor", roomIds: ["room-b"] }),
      signWitnessToken(
        { sub: "sup-a", name: "forged", role: "supervisor", roomIds: ["room-a"], exp: witnessTokenExpiry() },
        "a-different-secret-123456",
      ),
    ];
    for (const t of cases) {
      const p = await openWatcher(t, ["room-a"]);
      await p.waitForFunction(
        () => (window as unknown as { states: string[] }).states.some((s) => s.startsWith("refused")),
        null,
        { timeout: 10_000 },
      );
      expect(await p.evaluate(() => document.querySelectorAll("video").length)).toBe(0);
      await p.close();
    }
  });

  it("never tells a room device who is watching", async () => {
    const deviceEvents: string[] = [];
    const device = io(`${h.server.url}/witness`, {
      auth: { token: token({ sub: "d", name: "d", role: "device", roomIds: ["room-a"] }) },
      transports: ["websocket"],
    });
    device.onAny((event: string) => deviceEvents.push(event));
    const joined = await device.emitWithAck("join", { roomId: "room-a", deviceId: "camera-9" });
    expect(joined.data.producers).toEqual([]);
    const watcher = await openWatcher(token({ sub: "sup-3", name: "监督员", role: "supervisor", roomIds: ["room-a"] }), [
      "room-a",
    ]);
    await watcher.waitForFunction(() => (window as unknown as { states: string[] }).states.includes("watching"), null, {
      timeout: 10_000,
    });
    await watcher.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(deviceEvents).toEqual([]);
    device.disconnect();
  });

  it("recorded the browser device's camera and microphone", async () => {
    const { json } = await internal(h, "DELETE", "/rooms/room-a");
    const manifest = json.recording as RecordingManifest;
    const track = manifest.tracks["device-camera-1-video"];
    expect(track?.codec).toBe("video/VP8");
    expect(track?.segments.length).toBeGreaterThanOrEqual(1);
    expect(manifest.tracks["device-camera-1-audio"]?.segments.length).toBeGreaterThanOrEqual(1);
    await waitFor(
      "verification",
      async () => (await internal(h, "POST", "/rooms/room-a/verify", { auditEntries: h.audit.entries })).json.ok,
    );
  });
});
