// The opening hall (issue 13): the happy path through every step, and each refusal audited.
import { execFileSync } from "node:child_process";
import {
  answerObjection,
  closeOpening,
  confirmReadOut,
  endDecryptionWindow,
  envelopeHeader,
  hallAccess,
  hallView,
  openDecryptionWindow,
  checkHeader,
  openedBidsForCommittee,
  publishBidderList,
  raiseObjection,
  recordDecryptionCheck,
  signIn,
  startOpening,
  submitContentKey,
  submitEscrowShare,
} from "~/features/opening/index.ts";
import { openCustodianShare } from "../../crypto/escrow/escrow.ts";
import { signInStatement } from "~/features/opening/bidder.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { storagePath } from "~/platform/storage.server.ts";
import { signCms } from "../../crypto/cms/signed-data.ts";
import { toBase64 } from "../../crypto/bytes.ts";
import { unwrapContentKeyFromHeader } from "../../crypto/envelope/content-key.ts";
import { generateRsaKeyPair } from "../../crypto/pki/keygen.node.ts";
import { createBidder } from "../support/bidder.ts";
import { closedTenderWithBids, type HallBidder, type HallFixture, sessionUserOf } from "../support/opening.ts";

afterAll(async () => {
  resetClockForTests();
  await closeRedis();
  await disconnectDb();
});

async function access(user: SessionUser | null, tenderId: string) {
  const a = await hallAccess(user, tenderId);
  if (!a) throw new Error("no access");
  return a;
}

async function signInAs(f: HallFixture, b: HallBidder) {
  const a = await access(b.user, f.tender.id);
  const own = await db().openingBid.findUniqueOrThrow({
    where: { id: a.openingBidId ?? "" },
    select: { id: true, challenge: true },
  });
  const der = signCms({
    content: signInStatement(f.tender.id, own.id, own.challenge),
    signer: b.signer,
    signingTime: new Date(),
    detached: true,
  });
  return signIn(a, b.user, { signature: toBase64(der) });
}

async function contentKeyOf(f: HallFixture, b: HallBidder, key = b.encryption.keys.privateKey) {
  const a = await access(b.user, f.tender.id);
  const header = await envelopeHeader(a, b.user, a.openingBidId ?? "");
  if (!header.ok) throw new Error(header.refusal.code);
  return { openingBidId: a.openingBidId ?? "", contentKey: toBase64(unwrapContentKeyFromHeader(header.value.header, key)) };
}

async function refusals(tenderId: string): Promise<string[]> {
  const rows = await db().auditEntry.findMany({
    where: { subjectId: tenderId, action: "opening.refused" },
    select: { data: true },
  });
  return rows.map((r) => String((r.data as { code: string }).code));
}

describe("opening hall", () => {
  it("walks list → 签到 → decryption → 唱标 → objection answered → signed record, refusing every step out of turn", async () => {
    const f = await closedTenderWithBids(3);
    const [b1, b2, b3] = f.bidders as [HallBidder, HallBidder, HallBidder];
    const started = await startOpening(f.tender.id);
    expect(started).toMatchObject({ started: true, kind: "open", bids: 3 });
    const host = await access(f.host, f.tender.id);
    expect(host.role).toBe("host");

    // Before the list is published: nothing for the public, no sign-in, no window.
    expect(await hallView(null, f.tender.id)).toBeNull();
    expect((await signInAs(f, b1)).ok).toBe(false);
    expect(await openDecryptionWindow(host, f.host)).toMatchObject({ ok: false, refusal: { code: "opening.stepOutOfOrder" } });
    // A bidder cannot drive the host's steps.
    expect(await publishBidderList(await access(b1.user, f.tender.id), b1.user)).toMatchObject({
      ok: false,
      refusal: { code: "opening.notHost" },
    });

    expect((await publishBidderList(host, f.host)).ok).toBe(true);
    // Sign-in with a certificate that is not the bidder's (b2's key over b1's challenge) is refused.
    const a1 = await access(b1.user, f.tender.id);
    const own1 = await db().openingBid.findUniqueOrThrow({
      where: { id: a1.openingBidId ?? "" },
      select: { id: true, challenge: true },
    });
    const wrongSigner = signCms({
      content: signInStatement(f.tender.id, own1.id, own1.challenge),
      signer: b2.signer,
      signingTime: new Date(),
      detached: true,
    });
    expect(await signIn(a1, b1.user, { signature: toBase64(wrongSigner) })).toMatchObject({
      ok: false,
      refusal: { code: "opening.notYourCertificate" },
    });
    // A signature over another challenge is refused.
    const otherText = signCms({
      content: signInStatement(f.tender.id, own1.id, "another-challenge"),
      signer: b1.signer,
      signingTime: new Date(),
      detached: true,
    });
    expect(await signIn(a1, b1.user, { signature: toBase64(otherText) })).toMatchObject({
      ok: false,
      refusal: { code: "opening.badSignature" },
    });
    for (const b of [b1, b2, b3]) expect((await signInAs(f, b)).ok).toBe(true);

    // A content key before the window opens is refused and audited.
    const early = await submitContentKey(a1, b1.user, {
      openingBidId: a1.openingBidId ?? "",
      contentKey: toBase64(new Uint8Array(32)),
    });
    expect(early).toMatchObject({ ok: false, refusal: { code: "opening.outsideWindow" } });

    expect((await openDecryptionWindow(host, f.host)).ok).toBe(true);
    // The host cannot end the window while bids are still sealed and time remains.
    expect(await endDecryptionWindow(host, f.host)).toMatchObject({ ok: false, refusal: { code: "opening.windowStillOpen" } });

    // Another bidder's bid: refused and audited.
    const a2 = await access(b2.user, f.tender.id);
    const forOther = await submitContentKey(a1, b1.user, {
      openingBidId: a2.openingBidId ?? "",
      contentKey: toBase64(new Uint8Array(32)),
    });
    expect(forOther).toMatchObject({ ok: false, refusal: { code: "opening.notYourBid" } });
    expect((await envelopeHeader(a1, b1.user, a2.openingBidId ?? "")).ok).toBe(false);

    // A wrong content key fails the tags: a clear refusal, the bid stays sealed, a retry works.
    const wrong = await submitContentKey(a1, b1.user, {
      openingBidId: a1.openingBidId ?? "",
      contentKey: toBase64(new Uint8Array(32).fill(7)),
    });
    expect(wrong).toMatchObject({ ok: false, refusal: { code: "opening.wrongKey" } });
    // A key the envelope was not sealed to cannot even unwrap (the page says so before sending).
    const stranger = await generateRsaKeyPair(2048);
    await expect(contentKeyOf(f, b1, stranger.privateKey)).rejects.toMatchObject({ code: "CRYPTO.WRONG_CERT" });

    for (const b of [b1, b2, b3]) {
      const a = await access(b.user, f.tender.id);
      const opened = await submitContentKey(a, b.user, await contentKeyOf(f, b));
      expect(opened).toEqual({ ok: true, value: { readOut: { price: b.price } } });
    }
    // 唱标: every participant and the supervisors see the read-out; the public still sees nothing.
    const view2 = await hallView(b2.user, f.tender.id);
    expect(view2?.bids.map((b) => b.readOut?.price)).toEqual([b1.price, b2.price, b3.price]);
    expect(await hallView(null, f.tender.id)).toBeNull();

    expect((await endDecryptionWindow(host, f.host)).ok).toBe(true);
    expect((await confirmReadOut(a1, b1.user)).ok).toBe(true);
    const objection = await raiseObjection(a2, b2.user, { content: "我方工期读错了" });
    expect(objection.ok).toBe(true);
    // Closing with an objection unanswered is refused (Regs Art 44).
    expect(await closeOpening(host, f.host)).toMatchObject({ ok: false, refusal: { code: "opening.objectionsOpen" } });
    expect(
      (
        await answerObjection(host, f.host, {
          objectionId: objection.ok ? objection.value.objectionId : "",
          answer: "已核对，以投标文件为准",
        })
      ).ok,
    ).toBe(true);
    expect((await closeOpening(host, f.host)).ok).toBe(true);

    const session = await db().openingSession.findUniqueOrThrow({
      where: { tenderId: f.tender.id },
      select: { step: true, record: true, recordSignature: true, pdfSha256: true },
    });
    expect(session.step).toBe("CLOSED");
    expect((await db().tender.findUniqueOrThrow({ where: { id: f.tender.id }, select: { status: true } })).status).toBe("OPENED");
    const record = session.record as {
      outcome: string;
      bids: { bidderName: string; outcome: string }[];
      objections: { answer: string }[];
    };
    expect(record.outcome).toBe("opened");
    expect(record.bids.map((b) => b.outcome)).toEqual(["opened", "opened", "opened"]);
    expect(record.objections[0]?.answer).toBe("已核对，以投标文件为准");
    // The PDF's PAdES signature verifies with poppler's pdfsig.
    const pdf = storagePath(session.pdfSha256 ?? "");
    const out = execFileSync("pdfsig", [pdf], { encoding: "utf8" });
    expect(out).toMatch(/Signature Validation: Signature is Valid/);
    const text = execFileSync("pdftotext", [pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("开标记录");
    expect(text).toContain(b1.name);

    // Published: the public now sees the record, never the documents.
    const publicView = await hallView(null, f.tender.id);
    expect(publicView?.session?.recordPublished).toBe(true);
    const committee = await openedBidsForCommittee(f.tender.id);
    expect(committee.bids).toHaveLength(3);
    expect(committee.bids[0]?.documents.length).toBe(2);

    expect(await refusals(f.tender.id)).toEqual(
      expect.arrayContaining([
        "opening.stepOutOfOrder",
        "opening.outsideWindow",
        "opening.notYourBid",
        "opening.notYourCertificate",
      ]),
    );
  });

  it("refuses a content key after the window and classifies sealed bids at its end (E-Measures Art 31)", async () => {
    const f = await closedTenderWithBids(3);
    const [b1, b2, b3] = f.bidders as [HallBidder, HallBidder, HallBidder];
    await startOpening(f.tender.id);
    const host = await access(f.host, f.tender.id);
    await publishBidderList(host, f.host);
    await signInAs(f, b1);
    await signInAs(f, b2);
    await openDecryptionWindow(host, f.host);
    const a1 = await access(b1.user, f.tender.id);
    await submitContentKey(a1, b1.user, await contentKeyOf(f, b1));
    const a2 = await access(b2.user, f.tender.id);
    await submitContentKey(a2, b2.user, {
      openingBidId: a2.openingBidId ?? "",
      contentKey: toBase64(new Uint8Array(32).fill(1)),
    });
    const late = await contentKeyOf(f, b2);
    // The window's countdown runs out (server clock moved past its end).
    const session = await db().openingSession.findUniqueOrThrow({
      where: { tenderId: f.tender.id },
      select: { windowEndsAt: true },
    });
    setClockForTests((session.windowEndsAt?.getTime() ?? 0) + 1_000);
    try {
      expect(await submitContentKey(a2, b2.user, late)).toMatchObject({ ok: false, refusal: { code: "opening.outsideWindow" } });
      const view = await hallView(b3.user, f.tender.id);
      expect(view?.session?.step).toBe("READ_OUT");
    } finally {
      resetClockForTests();
    }
    const bids = await db().openingBid.findMany({
      where: { session: { tenderId: f.tender.id } },
      orderBy: { seq: "asc" },
      select: { status: true, outcomeDetail: true },
    });
    expect(bids).toEqual([
      { status: "OPENED", outcomeDetail: null },
      { status: "REVOKED", outcomeDetail: "wrong-key" },
      { status: "REVOKED", outcomeDetail: "absent" },
    ]);
    expect(await refusals(f.tender.id)).toContain("opening.outsideWindow");
  });

  it("refuses a content key before the opening time", async () => {
    const f = await closedTenderWithBids(3);
    const [b1] = f.bidders as [HallBidder];
    await startOpening(f.tender.id);
    const host = await access(f.host, f.tender.id);
    await publishBidderList(host, f.host);
    await signInAs(f, b1);
    await openDecryptionWindow(host, f.host);
    const key = await contentKeyOf(f, b1);
    const deadline = (await db().tender.findUniqueOrThrow({ where: { id: f.tender.id }, select: { bidDeadline: true } }))
      .bidDeadline as Date;
    setClockForTests(deadline.getTime() - 60_000);
    try {
      const a1 = await access(b1.user, f.tender.id);
      expect(await submitContentKey(a1, b1.user, key)).toMatchObject({
        ok: false,
        refusal: { code: "opening.beforeOpeningTime" },
      });
    } finally {
      resetClockForTests();
    }
    expect(await refusals(f.tender.id)).toContain("opening.beforeOpeningTime");
  });

  it("流标 with fewer than 3 bids: nothing decrypted, tender failed, the record says so", async () => {
    const f = await closedTenderWithBids(2);
    expect(await startOpening(f.tender.id)).toMatchObject({ started: true, kind: "failed", bids: 2 });
    const tender = await db().tender.findUniqueOrThrow({ where: { id: f.tender.id }, select: { status: true } });
    expect(tender.status).toBe("FAILED");
    const session = await db().openingSession.findUniqueOrThrow({
      where: { tenderId: f.tender.id },
      select: { step: true, record: true, pdfSha256: true, bids: { select: { status: true, plaintextDir: true } } },
    });
    expect(session.step).toBe("FAILED");
    expect(session.bids.every((b) => b.status === "SEALED" && b.plaintextDir === null)).toBe(true);
    expect((session.record as { outcome: string; failure: { article: string } }).failure.article).toBe("Regs Art 44");
    const host = await access(f.host, f.tender.id);
    expect(await publishBidderList(host, f.host)).toMatchObject({ ok: false, refusal: { code: "opening.stepOutOfOrder" } });
    expect((await hallView(f.host, f.tender.id))?.retender).toBe(true);
    expect(execFileSync("pdftotext", [storagePath(session.pdfSha256 ?? ""), "-"], { encoding: "utf8" })).toContain("流标");
  });

  it("shows nothing to non-participants before the record, and no documents ever", async () => {
    const f = await closedTenderWithBids(3);
    await startOpening(f.tender.id);
    await publishBidderList(await access(f.host, f.tender.id), f.host);
    const outsider = await sessionUserOf({ organizationId: (await createBidder()).organizationId });
    const expert = await sessionUserOf({ role: "EXPERT" });
    for (const user of [null, outsider, expert]) {
      const a = await access(user, f.tender.id);
      expect(a.role).toBe("public");
      expect(await hallView(user, f.tender.id)).toBeNull();
    }
    const a = await access(outsider, f.tender.id);
    const key = {
      openingBidId: (
        await db().openingBid.findFirstOrThrow({ where: { session: { tenderId: f.tender.id } }, select: { id: true } })
      ).id,
      contentKey: toBase64(new Uint8Array(32)),
    };
    expect(await submitContentKey(a, outsider, key)).toMatchObject({ ok: false, refusal: { code: "opening.notParticipant" } });
  });

  it("escrow remedy: refused before the window ends and before the opening time, refused with agent-side shares only, opens with a supervisor's and an agent's share", async () => {
    const f = await closedTenderWithBids(3, { remedy: true });
    const c = f.custodians!;
    const [b1, b2, b3] = f.bidders as [HallBidder, HallBidder, HallBidder];
    await startOpening(f.tender.id);
    const host = await access(c.agent.user, f.tender.id);
    expect(host.role).toBe("host");
    await publishBidderList(host, c.agent.user);
    for (const b of [b1, b2, b3]) await signInAs(f, b);
    await openDecryptionWindow(host, c.agent.user);
    for (const b of [b1, b2]) await submitContentKey(await access(b.user, f.tender.id), b.user, await contentKeyOf(f, b));
    const shareOf = async (who: typeof c.agent) => openCustodianShare(who.record, who.key);
    // During the window: not the remedy step yet.
    expect(await submitEscrowShare(host, c.agent.user, await shareOf(c.agent))).toMatchObject({
      ok: false,
      refusal: { code: "opening.stepOutOfOrder" },
    });
    const session = await db().openingSession.findUniqueOrThrow({
      where: { tenderId: f.tender.id },
      select: { windowEndsAt: true },
    });
    setClockForTests((session.windowEndsAt?.getTime() ?? 0) + 1_000);
    try {
      await hallView(c.agent.user, f.tender.id);
      expect(
        (
          await db().openingBid.findFirstOrThrow({
            where: { session: { tenderId: f.tender.id }, seq: 3 },
            select: { status: true },
          })
        ).status,
      ).toBe("REVOKED");
    } finally {
      resetClockForTests();
    }
    // Before the opening time by the server clock: refused.
    const deadline = (await db().tender.findUniqueOrThrow({ where: { id: f.tender.id }, select: { bidDeadline: true } }))
      .bidDeadline as Date;
    setClockForTests(deadline.getTime() - 60_000);
    try {
      expect(await submitEscrowShare(host, c.agent.user, await shareOf(c.agent))).toMatchObject({
        ok: false,
        refusal: { code: "opening.beforeOpeningTime" },
      });
    } finally {
      resetClockForTests();
    }
    // A bidder is no custodian.
    expect(await submitEscrowShare(await access(b1.user, f.tender.id), b1.user, await shareOf(c.agent))).toMatchObject({
      ok: false,
      refusal: { code: "opening.notCustodian" },
    });
    // Two agent-side shares reach k = 2, but one side alone is refused.
    expect((await submitEscrowShare(host, c.agent.user, await shareOf(c.agent))).ok).toBe(true);
    const host2 = await access(c.agent2.user, f.tender.id);
    expect(await submitEscrowShare(host2, c.agent2.user, await shareOf(c.agent2))).toMatchObject({
      ok: false,
      refusal: { code: "opening.remedyNeedsBothSides" },
    });
    expect(
      (
        await db().openingBid.findFirstOrThrow({
          where: { session: { tenderId: f.tender.id }, seq: 3 },
          select: { status: true },
        })
      ).status,
    ).toBe("REVOKED");
    // The supervisor's share completes it: the bid b3 could not decrypt opens by the remedy.
    const sup = await access(c.supervisor.user, f.tender.id);
    expect(sup.role).toBe("supervisor");
    expect(await submitEscrowShare(sup, c.supervisor.user, await shareOf(c.supervisor))).toEqual({
      ok: true,
      value: { submitted: 2, recovered: 1 },
    });
    const third = await db().openingBid.findFirstOrThrow({
      where: { session: { tenderId: f.tender.id }, seq: 3 },
      select: { status: true, outcomeDetail: true, readOut: true },
    });
    expect(third).toEqual({ status: "OPENED", outcomeDetail: "remedy", readOut: { price: b3.price } });
    const rebuilt = await db().auditEntry.count({ where: { subjectId: f.tender.id, action: "opening.escrow_key_rebuilt" } });
    expect(rebuilt).toBe(1);
    expect(await refusals(f.tender.id)).toEqual(
      expect.arrayContaining(["opening.beforeOpeningTime", "opening.notCustodian", "opening.remedyNeedsBothSides"]),
    );
  });

  it("decryption check: the bidder's own header only; only the yes/no is recorded", async () => {
    const f = await closedTenderWithBids(3);
    const [b1] = f.bidders as [HallBidder];
    const header = await checkHeader(b1.user, f.tender.id);
    if (!header.ok) throw new Error(header.refusal.code);
    expect(unwrapContentKeyFromHeader(header.value.header, b1.encryption.keys.privateKey)).toHaveLength(32);
    const stranger = await generateRsaKeyPair(2048);
    expect(() => unwrapContentKeyFromHeader(header.value.header, stranger.privateKey)).toThrow(
      expect.objectContaining({ code: "CRYPTO.WRONG_CERT" }),
    );
    expect((await recordDecryptionCheck(b1.user, f.tender.id, { versionId: header.value.versionId, result: "ok" })).ok).toBe(
      true,
    );
    const entry = await db().auditEntry.findFirstOrThrow({
      where: { action: "bid.decryption_checked", subjectId: header.value.versionId },
      select: { data: true },
    });
    expect((entry.data as { result: string }).result).toBe("ok");
    // Someone without a bid in this tender gets nothing.
    const outsider = await sessionUserOf({ organizationId: (await createBidder()).organizationId });
    expect(await checkHeader(outsider, f.tender.id)).toMatchObject({ ok: false, refusal: { code: "opening.noBidToCheck" } });
    expect(await recordDecryptionCheck(outsider, f.tender.id, { versionId: header.value.versionId, result: "ok" })).toMatchObject(
      { ok: false },
    );
  });
});
