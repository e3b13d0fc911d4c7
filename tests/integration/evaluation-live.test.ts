// The evaluation room, live (issue 15 item 9, decision 107): real socket.io clients on /notify
// against the app's own socket layer (platform/realtime + features/evaluation/live.server.ts,
// listening to the audit trigger's NOTIFY on the test database). A member's and the supervisor's
// sockets hear at once that another member signed in; a bidder's, the agent's (before the
// report), a non-member expert's and a replaced member's hear nothing and the public cannot
// connect; the payload names only the tender and the actions; a dropped socket reconnects and
// catches up; a lost database listener comes back and tells the open rooms to re-read.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { Server } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import {
  declareRecusal,
  roomAccess,
  roomLiveListening,
  roomStatement,
  roomView,
  signInMember,
  signPledge,
  PLEDGE_TEXT,
  startRoomLive,
  stopRoomLive,
  type RoomAccess,
} from "~/features/evaluation/index.ts";
import { createSession } from "~/platform/auth/session.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { attachRealtime } from "~/platform/realtime.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { signCms, type Signer } from "../../crypto/cms/signed-data.ts";
import { toBase64 } from "../../crypto/bytes.ts";
import { openedTenderWithCommittee, type RoomExpert, type RoomFixture } from "../support/evaluation.ts";
import { sessionUserOf } from "../support/opening.ts";

// A stand-in for the media server's internal API (the session opens the witness room).
const media = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json" }).end("{}");
});
const app = http.createServer();
const io = new Server(app, { serveClient: false });
let base = "";
const sockets: Socket[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => media.listen(0, "127.0.0.1", resolve));
  process.env.MEDIA_INTERNAL_URL = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  attachRealtime(io);
  await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  await startRoomLive();
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await stopRoomLive();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  media.close();
  await closeRedis();
  await disconnectDb();
});

async function until(what: string, condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Heard {
  socket: Socket;
  events: { tenderId: string; actions: string[] }[];
  /** Only this tender's signals (the demo supervisor is assigned to other tenders too). */
  of(tenderId: string): { tenderId: string; actions: string[] }[];
  heard(tenderId: string, action: string): boolean;
}

async function cookieOf(user: SessionUser): Promise<string> {
  return (await createSession(user.id, {})).split(";")[0] ?? "";
}

async function socketOf(user: SessionUser): Promise<Heard> {
  const socket = connect(`${base}/notify`, {
    transports: ["websocket"],
    extraHeaders: { Cookie: await cookieOf(user) },
    reconnection: false,
  });
  sockets.push(socket);
  const events: Heard["events"] = [];
  socket.on("evaluation", (p: Heard["events"][number]) => events.push(p));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return {
    socket,
    events,
    of: (tenderId) => events.filter((e) => e.tenderId === tenderId),
    heard: (tenderId, action) => events.some((e) => e.tenderId === tenderId && e.actions.includes(action)),
  };
}

const sign = (signer: Signer, content: Uint8Array) =>
  toBase64(signCms({ content, signer, signingTime: new Date(), detached: true }));

async function access(user: SessionUser, tenderId: string): Promise<RoomAccess> {
  const a = await roomAccess(user, tenderId);
  if (!a) throw new Error("no access");
  return a;
}

async function signIn(f: RoomFixture, e: RoomExpert): Promise<void> {
  const a = await access(e.user, f.tenderId);
  await roomView(a, e.user); // opens the session (first member) and adds the member's row
  const session = await db().evaluationSession.findUniqueOrThrow({ where: { tenderId: f.tenderId }, select: { id: true } });
  const { challenge } = await db().evaluationMember.findUniqueOrThrow({
    where: { sessionId_userId: { sessionId: session.id, userId: e.user.id } },
    select: { challenge: true },
  });
  const result = await signInMember(a, e.user, {
    signature: sign(e.signer, roomStatement("sign-in", f.tenderId, e.user.id, { challenge })),
  });
  expect(result.ok).toBe(true);
}

async function signedInIn(view: Awaited<ReturnType<typeof roomView>>, userId: string): Promise<boolean> {
  return "members" in view && view.members.some((m) => m.userId === userId && m.signedIn);
}

async function outsiderExpert(): Promise<SessionUser> {
  const u = await db().user.create({
    data: {
      email: `live-outsider-${randomUUID().slice(0, 8)}@test.mingbiao.cn`,
      name: "库外专家",
      role: "EXPERT",
      passwordHash: "x",
    },
    select: { id: true },
  });
  return sessionUserOf({ id: u.id });
}

describe("the evaluation room over socket.io", () => {
  let f: RoomFixture;
  let member: Heard;
  let supervisor: Heard;
  let outsiders: Heard[];

  beforeAll(async () => {
    f = await openedTenderWithCommittee();
    await until("the database listener", () => roomLiveListening());
    member = await socketOf(f.experts[1]!.user);
    supervisor = await socketOf(f.supervisor);
    outsiders = [
      await socketOf(f.bidders[0]!.user),
      await socketOf(f.agent),
      await socketOf(await outsiderExpert()),
      await socketOf(f.reserve.user), // a reserve is not a member until it replaces one
    ];
  });

  it("tells a member and the supervisor at once that another member signed in, with nothing but the tender and the actions", async () => {
    const started = Date.now();
    await signIn(f, f.experts[0]!);
    await until("the member's signal", () => member.heard(f.tenderId, "evaluation.signed_in"));
    await until("the supervisor's signal", () => supervisor.heard(f.tenderId, "evaluation.signed_in"));
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const e of [...member.of(f.tenderId), ...supervisor.of(f.tenderId)]) {
      expect(Object.keys(e).sort()).toEqual(["actions", "tenderId"]);
      for (const action of e.actions) expect(action).toMatch(/^(evaluation\.|experts\.seat_)/);
    }
    // The first sign-in opened the session: that was announced too.
    expect(member.of(f.tenderId).flatMap((e) => e.actions)).toContain("evaluation.session_opened");
    // The member's page re-reads on the signal and shows the sign-in.
    expect(
      await signedInIn(await roomView(await access(f.experts[1]!.user, f.tenderId), f.experts[1]!.user), f.experts[0]!.user.id),
    ).toBe(true);
  });

  it("tells a bidder, the agent (before the report), an expert not on the committee and the reserve nothing", async () => {
    await signIn(f, f.experts[2]!);
    await until("the member's signal", () => member.of(f.tenderId).length >= 2);
    // The signal to everyone entitled went out in the same flush; give the others a moment more.
    await new Promise((r) => setTimeout(r, 300));
    for (const o of outsiders) {
      expect(o.socket.connected).toBe(true);
      expect(o.of(f.tenderId)).toEqual([]);
    }
  });

  it("refuses the public's socket", async () => {
    const anonymous = connect(`${base}/notify`, { transports: ["websocket"], reconnection: false });
    sockets.push(anonymous);
    const error = await new Promise<Error>((resolve) => anonymous.once("connect_error", resolve));
    expect(error.message).toBe("unauthorised");
    expect(anonymous.connected).toBe(false);
  });

  it("a member who recused and was replaced hears nothing more; the reserve joining is heard", async () => {
    const leaving = await socketOf(f.experts[4]!.user);
    await signIn(f, f.experts[4]!);
    const pledged = await signPledge(await access(f.experts[4]!.user, f.tenderId), f.experts[4]!.user, {
      signature: sign(f.experts[4]!.signer, roomStatement("pledge", f.tenderId, f.experts[4]!.user.id, { text: PLEDGE_TEXT })),
    });
    expect(pledged.ok).toBe(true);
    await until("the leaving member's own signal", () => leaving.heard(f.tenderId, "evaluation.pledged"));
    const recused = await declareRecusal(await access(f.experts[4]!.user, f.tenderId), f.experts[4]!.user, {
      recuse: "recused",
      reason: "曾在投标人1任职",
    });
    expect(recused.ok).toBe(true);
    await until("the recusal signal", () => member.heard(f.tenderId, "evaluation.recused"));
    const before = leaving.of(f.tenderId).length;
    const reserveBefore = outsiders[3]!.of(f.tenderId).length;
    await signIn(f, f.experts[3]!);
    await until("the member's signal", () =>
      member.of(f.tenderId).some((e, i, all) => i === all.length - 1 && e.actions.includes("evaluation.signed_in")),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(leaving.of(f.tenderId).length).toBe(before);
    // The reserve took the seat: now it is a member and hears the room.
    expect(outsiders[3]!.of(f.tenderId).length).toBeGreaterThan(reserveBefore);
  });

  it("a dropped socket reconnects, re-reads what it missed and hears what follows", async () => {
    const e1 = f.experts[1]!;
    const again = await socketOf(e1.user);
    again.socket.disconnect();
    // Meanwhile the reserve (now a member) signs in: the dropped socket cannot hear it.
    await signIn(f, f.reserve);
    await until("the supervisor's signal", () =>
      supervisor.of(f.tenderId).some((e, i, all) => i === all.length - 1 && e.actions.includes("evaluation.signed_in")),
    );
    const missed = again.of(f.tenderId).length;
    again.socket.connect();
    await until("the reconnect", () => again.socket.connected);
    // What the page does on connect: re-read the loader, which shows the sign-in it missed.
    expect(await signedInIn(await roomView(await access(e1.user, f.tenderId), e1.user), f.reserve.user.id)).toBe(true);
    await signIn(f, e1);
    await until("the next signal after the reconnect", () => again.of(f.tenderId).length > missed);
  });

  it("a lost database listener reconnects and tells every open room to re-read", async () => {
    const owner = new pg.Client({ connectionString: process.env.MIGRATION_DATABASE_URL });
    await owner.connect();
    try {
      const killed = await owner.query<{ ok: boolean }>(
        "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'mingbiao-evaluation-live' AND datname = current_database()",
      );
      expect(killed.rows.length).toBeGreaterThan(0);
    } finally {
      await owner.end();
    }
    await until("the listener to be lost", () => !roomLiveListening());
    await until("the resync signal", () => member.heard(f.tenderId, "evaluation.resync"), 10_000);
    expect(roomLiveListening()).toBe(true);
    // And it listens again: the next act is heard.
    const count = supervisor.of(f.tenderId).length;
    // A pledge with a signature that is none: refused, and the refusal is audited (the supervisors' alerts read it).
    const refused = await signPledge(await access(f.experts[0]!.user, f.tenderId), f.experts[0]!.user, { signature: "AAAA" });
    expect(refused.ok).toBe(false);
    await until("a signal after the reconnect", () => supervisor.of(f.tenderId).length > count);
  });
});
