// The chain on one tender (issue 15 item 12): bids sealed → the opening hall (sign-in, each
// bidder's content key, 唱标, the signed record) → the agent's committee request on the OPENED
// tender → the supervisor's approval → the draw from the demo pool → seats confirmed → at the
// evaluation time a drawn expert enters the room: the session opens with the hall's decrypted
// bids and read-out prices, and the member signs in with the demo signing key file the seed made
// for whichever expert the draw picks (prisma/seed-chain.ts).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  closeOpening,
  endDecryptionWindow,
  envelopeHeader,
  hallAccess,
  openDecryptionWindow,
  publishBidderList,
  signIn,
  startOpening,
  submitContentKey,
} from "~/features/opening/index.ts";
import { signInStatement } from "~/features/opening/bidder.server.ts";
import { decideCommitteeRequest, submitCommitteeRequest } from "~/features/experts/request.server.ts";
import { respondToInvitation, runDraw } from "~/features/experts/draw.server.ts";
import { setExpertGateways } from "~/features/experts/notifier.server.ts";
import { roomAccess, roomStatement, roomView, signInMember } from "~/features/evaluation/index.ts";
import { toBeijingLocal } from "~/features/tenders/beijing-time.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import { signCms } from "../../crypto/cms/signed-data.ts";
import { toBase64 } from "../../crypto/bytes.ts";
import { unwrapContentKeyFromHeader } from "../../crypto/envelope/content-key.ts";
import { importP12 } from "../../crypto/pki/p12.ts";
import { testEnv } from "../../scripts/test-env.mjs";
import { closedTenderWithBids, sessionUserOf, type HallBidder } from "../support/opening.ts";

const DEMO_PASSWORD = "MingBiao-demo-2026";
const media = http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json" }).end("{}");
});

beforeAll(async () => {
  await new Promise<void>((resolve) => media.listen(0, "127.0.0.1", resolve));
  process.env.MEDIA_INTERNAL_URL = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
  setExpertGateways([{ name: "test", send: async () => undefined }]);
});

afterAll(async () => {
  resetClockForTests();
  media.close();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

async function hall(user: SessionUser, tenderId: string) {
  const a = await hallAccess(user, tenderId);
  if (!a) throw new Error("no hall access");
  return a;
}

async function bidderSignsIn(tenderId: string, b: HallBidder) {
  const a = await hall(b.user, tenderId);
  const own = await db().openingBid.findUniqueOrThrow({ where: { id: a.openingBidId ?? "" }, select: { challenge: true } });
  const der = signCms({
    content: signInStatement(tenderId, a.openingBidId ?? "", own.challenge),
    signer: b.signer,
    signingTime: new Date(),
    detached: true,
  });
  expect((await signIn(a, b.user, { signature: toBase64(der) })).ok).toBe(true);
}

async function bidderDecrypts(tenderId: string, b: HallBidder) {
  const a = await hall(b.user, tenderId);
  const header = await envelopeHeader(a, b.user, a.openingBidId ?? "");
  if (!header.ok) throw new Error(header.refusal.code);
  const contentKey = toBase64(unwrapContentKeyFromHeader(header.value.header, b.encryption.keys.privateKey));
  expect((await submitContentKey(a, b.user, { openingBidId: a.openingBidId ?? "", contentKey })).ok).toBe(true);
}

describe("opening → draw → room on one tender", () => {
  it("the opened tender's committee is requested, drawn and confirmed, and a drawn expert opens the room on the hall's bids", async () => {
    // The opening hall, as in the hall's own test, to its signed record.
    const f = await closedTenderWithBids(3);
    const tenderId = f.tender.id;
    const supervisor = await sessionUserOf({
      id: (await db().user.findUniqueOrThrow({ where: { email: "supervisor@demo.mingbiao.cn" }, select: { id: true } })).id,
    });
    const admin = await db().user.findFirstOrThrow({ where: { role: "ADMIN" }, select: { id: true } });
    await db().tenderSupervisor.create({ data: { tenderId, userId: supervisor.id, assignedById: admin.id } });
    // The room scores against the tender's table (the demo chain's tender takes MZ-JS-2026-0158's).
    const model = await db().tender.findUniqueOrThrow({
      where: { code: "MZ-JS-2026-0158" },
      select: { evaluationConfig: true, qualificationRequirements: true },
    });
    await db().tender.update({
      where: { id: tenderId },
      data: { evaluationConfig: model.evaluationConfig ?? {}, qualificationRequirements: model.qualificationRequirements ?? [] },
    });
    expect(await startOpening(tenderId)).toMatchObject({ started: true, bids: 3 });
    const host = await hall(f.host, tenderId);
    expect((await publishBidderList(host, f.host)).ok).toBe(true);
    for (const b of f.bidders) await bidderSignsIn(tenderId, b);
    expect((await openDecryptionWindow(host, f.host)).ok).toBe(true);
    for (const b of f.bidders) await bidderDecrypts(tenderId, b);
    expect((await endDecryptionWindow(host, f.host)).ok).toBe(true);
    expect((await closeOpening(host, f.host)).ok).toBe(true);
    expect((await db().tender.findUniqueOrThrow({ where: { id: tenderId }, select: { status: true } })).status).toBe("OPENED");

    // The agent asks for the committee of the OPENED tender; the evaluation an hour from now, the draw at once.
    const evaluationAt = new Date(Date.now() + 3_600_000);
    const requested = await submitCommitteeRequest(f.host, tenderId, {
      requirements: [{ specialty: "A0201", count: 5, reserves: 1 }],
      representativeIds: [],
      evaluationStart: toBeijingLocal(evaluationAt),
      drawLeadHours: 2,
      confirmWindowMinutes: 15,
    });
    if (!requested.ok) throw new Error(`request refused: ${requested.refusal.code}`);
    const approved = await decideCommitteeRequest(supervisor, requested.requestId, { approve: true, note: "同意" });
    expect(approved.ok).toBe(true);
    expect(await runDraw(requested.requestId)).toMatchObject({ drawn: true });

    // Every drawn member confirms its seat in time.
    const seats = await db().committeeSeat.findMany({
      where: { requestId: requested.requestId, status: "INVITED" },
      orderBy: { seat: "asc" },
      select: { id: true, expert: { select: { userId: true } } },
    });
    expect(seats).toHaveLength(5);
    for (const s of seats) expect(await respondToInvitation(s.expert.userId, s.id, true)).toEqual({ ok: true });

    // Before the evaluation time the room refuses to open; at it, the first member opens the session.
    const member = await sessionUserOf({ id: seats[0]!.expert.userId });
    const early = await roomAccess(member, tenderId);
    if (!early) throw new Error("a drawn member has no room");
    expect((await roomView(early, member)).refusal).toMatchObject({ code: "room.beforeEvaluationTime" });
    setClockForTests(evaluationAt.getTime() + 60_000);
    const a = await roomAccess(member, tenderId);
    if (!a) throw new Error("a drawn member has no room");
    const view = await roomView(a, member);
    expect(view.refusal).toBeNull();
    if (!("bids" in view)) throw new Error("no session");
    expect(view.bids.map((b) => b.readOut.price)).toEqual(f.bidders.map((b) => b.price));
    expect(view.bids.every((b) => b.files.length > 0)).toBe(true);
    expect(view.rules.criteria.length).toBeGreaterThan(0);
    expect(view.members).toHaveLength(5);

    // The drawn expert signs in with the signing key file the demo seed made for it.
    const email = (await db().user.findUniqueOrThrow({ where: { id: member.id }, select: { email: true } })).email;
    const file = path.join(path.resolve(testEnv.DEMO_KEYS_DIR), "evaluation", `${email}-sign.p12`);
    const key = importP12(new Uint8Array(fs.readFileSync(file)), DEMO_PASSWORD);
    const { challenge } = await db().evaluationMember.findFirstOrThrow({
      where: { userId: member.id, session: { tenderId } },
      select: { challenge: true },
    });
    const signature = toBase64(
      signCms({
        content: roomStatement("sign-in", tenderId, member.id, { challenge }),
        signer: { cert: key.certificate, key: key.privateKey, chain: key.chain },
        signingTime: new Date(),
        detached: true,
      }),
    );
    expect((await signInMember(a, member, { signature })).ok).toBe(true);
  });
});
