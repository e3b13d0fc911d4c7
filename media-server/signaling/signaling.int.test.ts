// The signaling boundary with real sockets: tokens checked on the handshake, roles enforced per
// request, and supervisors invisible to the room's devices.
import { io, type Socket } from "socket.io-client";
import { internal, startHarness, TOKEN_SECRET, waitFor, type Harness } from "../test-support/harness.ts";
import { signWitnessToken, witnessTokenExpiry, type WitnessClaims } from "../token.ts";

let h: Harness;
const sockets: Socket[] = [];

const token = (c: Omit<WitnessClaims, "exp">, secret = TOKEN_SECRET) =>
  signWitnessToken({ ...c, exp: witnessTokenExpiry() }, secret);

function connect(t: string): Socket {
  const socket = io(`${h.server.url}/witness`, { auth: { token: t }, transports: ["websocket"], reconnection: false });
  sockets.push(socket);
  return socket;
}

async function connected(socket: Socket): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
}

beforeAll(async () => {
  h = await startHarness({ segmentSeconds: 2 });
  await internal(h, "POST", "/rooms", { roomId: "sig-a", title: "第一评标室" });
  await internal(h, "POST", "/rooms", { roomId: "sig-b", title: "第二评标室" });
  await internal(h, "POST", "/rooms/sig-a/ingests", { label: "IP camera", videoCodec: "VP8", audio: true });
});

afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await h?.close();
});

describe("witness signaling", () => {
  it("refuses a handshake without a valid token", async () => {
    for (const t of [
      "",
      "garbage",
      token({ sub: "s", name: "s", role: "supervisor", roomIds: ["sig-a"] }, "another-secret-0123456789"),
    ]) {
      await expect(connected(connect(t))).rejects.toThrow(/unauthorised/);
    }
  });

  it("shows a supervisor of the room every camera and microphone", async () => {
    const socket = connect(token({ sub: "sup", name: "监督员", role: "supervisor", roomIds: ["sig-a"] }));
    await connected(socket);
    const joined = await socket.emitWithAck("join", { roomId: "sig-a" });
    expect(joined.ok).toBe(true);
    expect(joined.data.title).toBe("第一评标室");
    expect(joined.data.producers.map((p: { kind: string }) => p.kind).sort()).toEqual(["audio", "video"]);
    const transport = await socket.emitWithAck("createTransport", { roomId: "sig-a", direction: "recv" });
    expect(transport.ok).toBe(true);
  });

  it("refuses a supervisor of another room, and supervisors who try to publish", async () => {
    const other = connect(token({ sub: "sup-b", name: "监督员", role: "supervisor", roomIds: ["sig-b"] }));
    await connected(other);
    expect(await other.emitWithAck("join", { roomId: "sig-a" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    await other.emitWithAck("join", { roomId: "sig-b" });
    expect(await other.emitWithAck("createTransport", { roomId: "sig-b", direction: "send" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
  });

  it("lets a device publish only, and never tells it who is watching", async () => {
    const device = connect(token({ sub: "dev", name: "camera", role: "device", roomIds: ["sig-a"] }));
    await connected(device);
    const events: string[] = [];
    device.onAny((event: string) => events.push(event));
    const joined = await device.emitWithAck("join", { roomId: "sig-a", deviceId: "camera-1" });
    expect(joined.data.producers).toEqual([]);
    expect(await device.emitWithAck("createTransport", { roomId: "sig-a", direction: "recv" })).toMatchObject({
      ok: false,
      error: { code: "FORBIDDEN" },
    });
    expect((await device.emitWithAck("createTransport", { roomId: "sig-a", direction: "send" })).ok).toBe(true);

    const watcher = connect(token({ sub: "sup-2", name: "监督员", role: "supervisor", roomIds: ["sig-a"] }));
    await connected(watcher);
    const added: string[] = [];
    watcher.on("producerAdded", (p: { label: string }) => added.push(p.label));
    await watcher.emitWithAck("join", { roomId: "sig-a" });
    await internal(h, "POST", "/rooms/sig-a/ingests", { label: "second camera", videoCodec: "VP8", audio: false });
    await waitFor("supervisor told of the new camera", () => added.includes("second camera"));
    watcher.disconnect();
    const described = await internal(h, "GET", "/rooms/sig-a");
    expect(described.json.peers).toMatchObject({ devices: 1 });
    expect(events).toEqual([]);
  });

  it("validates every request body", async () => {
    const socket = connect(token({ sub: "sup", name: "监督员", role: "supervisor", roomIds: ["sig-a"] }));
    await connected(socket);
    expect(await socket.emitWithAck("join", { roomId: "../../etc" })).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
  });
});
