// The platform's outages (E-Measures Art 31; decision 091): the heartbeat's gaps, the incidents
// the centre's administrator records, and a bid left sealed after a decryption window that
// overlapped one → 撤回 (the bidder told it may claim its losses); outside the window → 撤销.
import {
  closeOpening,
  endDecryptionWindow,
  hallAccess,
  openDecryptionWindow,
  publishBidderList,
  startOpening,
  signIn,
} from "~/features/opening/index.ts";
import { beat, outagesOverlapping, recordIncident } from "~/features/outages/index.ts";
import { toBeijingLocal } from "~/features/tenders/index.ts";
import { signInStatement } from "~/features/opening/bidder.server.ts";
import type { SessionUser } from "~/platform/auth/auth.server.ts";
import { resetClockForTests, setClockForTests } from "~/platform/clock.server.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { toBase64 } from "../../crypto/bytes.ts";
import { signCms } from "../../crypto/cms/signed-data.ts";
import type { HallRecord } from "~/features/opening/record-types.ts";
import { closedTenderWithBids, type HallBidder, type HallFixture, sessionUserOf } from "../support/opening.ts";

const created: string[] = [];
let admin: SessionUser;

beforeAll(async () => {
  admin = await sessionUserOf({
    id: (await db().user.findUniqueOrThrow({ where: { email: "admin@demo.mingbiao.cn" }, select: { id: true } })).id,
  });
});

// Outages are platform-wide: the ones a test makes are removed so no other test's window meets them.
afterEach(async () => {
  resetClockForTests();
  const since = await db().platformOutage.findMany({ where: { id: { in: created } }, select: { id: true } });
  await db().platformOutage.deleteMany({ where: { id: { in: since.map((o) => o.id) } } });
  created.length = 0;
});

afterAll(async () => {
  resetClockForTests();
  await closeRedis();
  await disconnectDb();
});

async function access(user: SessionUser, tenderId: string) {
  const a = await hallAccess(user, tenderId);
  if (!a) throw new Error("no access");
  return a;
}

async function signInAs(f: HallFixture, b: HallBidder) {
  const a = await access(b.user, f.tender.id);
  const own = await db().openingBid.findUniqueOrThrow({ where: { id: a.openingBidId ?? "" }, select: { challenge: true } });
  const der = signCms({
    content: signInStatement(f.tender.id, a.openingBidId ?? "", own.challenge),
    signer: b.signer,
    signingTime: new Date(),
    detached: true,
  });
  const signed = await signIn(a, b.user, { signature: toBase64(der) });
  if (!signed.ok) throw new Error(signed.refusal.code);
}

/** Three bids; two bidders signed in; the window open. Nobody decrypts. */
async function windowOpen() {
  const f = await closedTenderWithBids(3);
  await startOpening(f.tender.id);
  const host = await access(f.host, f.tender.id);
  expect((await publishBidderList(host, f.host)).ok).toBe(true);
  await signInAs(f, f.bidders[0]!);
  await signInAs(f, f.bidders[1]!);
  expect((await openDecryptionWindow(host, f.host)).ok).toBe(true);
  const session = await db().openingSession.findUniqueOrThrow({
    where: { tenderId: f.tender.id },
    select: { id: true, windowOpenedAt: true, windowEndsAt: true },
  });
  return { f, session: session as { id: string; windowOpenedAt: Date; windowEndsAt: Date } };
}

async function incident(from: Date, to: Date, description = "机房断电，平台不可用") {
  const r = await recordIncident(admin, { from: toBeijingLocal(from), to: toBeijingLocal(to), description });
  if (r.ok) created.push(r.value.id);
  return r;
}

async function bidsOf(tenderId: string) {
  return db().openingBid.findMany({
    where: { session: { tenderId } },
    orderBy: { seq: "asc" },
    select: { status: true, outcomeDetail: true, organizationId: true },
  });
}

describe("platform outages (E-Measures Art 31)", () => {
  it("an incident recorded during the window turns every sealed bid into 撤回, notifies its bidder and is in the record", async () => {
    const { f, session } = await windowOpen();
    setClockForTests(session.windowEndsAt.getTime() + 1_000);
    const from = new Date(session.windowOpenedAt.getTime() + 2 * 60_000);
    const recorded = await incident(from, new Date(from.getTime() + 3 * 60_000));
    expect(recorded.ok).toBe(true);
    const audit = await db().auditEntry.findFirstOrThrow({
      where: { action: "platform.incident_recorded", subjectId: recorded.ok ? recorded.value.id : "" },
      select: { actorId: true, subjectType: true, data: true },
    });
    expect(audit).toMatchObject({
      actorId: admin.id,
      subjectType: "PlatformOutage",
      data: { description: "机房断电，平台不可用" },
    });

    const host = await access(f.host, f.tender.id);
    expect((await endDecryptionWindow(host, null)).ok).toBe(true);
    const bids = await bidsOf(f.tender.id);
    expect(bids.map((b) => [b.status, b.outcomeDetail])).toEqual([
      ["WITHDRAWN", "platform-outage"],
      ["WITHDRAWN", "platform-outage"],
      ["WITHDRAWN", "platform-outage"],
    ]);
    const ended = await db().auditEntry.findFirstOrThrow({
      where: { action: "opening.window_ended", subjectId: session.id },
      select: { data: true },
    });
    expect((ended.data as { outages: { source: string }[] }).outages).toEqual([expect.objectContaining({ source: "INCIDENT" })]);
    const bidderUsers = await db().user.findMany({
      where: { organizationId: f.bidders[2]!.organizationId },
      select: { id: true },
    });
    const told = await db().notification.findMany({
      where: { kind: "opening.withdrawn", userId: { in: bidderUsers.map((u) => u.id) } },
      select: { body: true, link: true },
    });
    expect(told).toHaveLength(1);
    expect(JSON.parse(told[0]!.body)).toMatchObject({ detail: "platform-outage", tenderTitle: expect.any(String) });
    expect(told[0]!.link).toBe(`/opening/${f.tender.id}`);

    expect((await closeOpening(await access(f.host, f.tender.id), f.host)).ok).toBe(true);
    const { record } = await db().openingSession.findUniqueOrThrow({ where: { id: session.id }, select: { record: true } });
    const r = record as unknown as HallRecord;
    expect(r.outages).toEqual([expect.objectContaining({ source: "incident", description: "机房断电，平台不可用" })]);
    expect(r.bids.every((b) => b.outcome === "withdrawn" && b.remarks.includes("第三十一条"))).toBe(true);
  });

  it("an outage outside the window changes nothing: 撤销 for the bidder's causes", async () => {
    const { f, session } = await windowOpen();
    setClockForTests(session.windowEndsAt.getTime() + 1_000);
    // Ends a minute before the window opened (minute precision of the form).
    const end = new Date(session.windowOpenedAt.getTime() - 60_000);
    expect((await incident(new Date(end.getTime() - 10 * 60_000), end)).ok).toBe(true);
    expect(await outagesOverlapping({ from: session.windowOpenedAt, to: session.windowEndsAt })).toEqual([]);
    expect((await endDecryptionWindow(await access(f.host, f.tender.id), null)).ok).toBe(true);
    expect((await bidsOf(f.tender.id)).map((b) => [b.status, b.outcomeDetail])).toEqual([
      ["REVOKED", "not-decrypted"],
      ["REVOKED", "not-decrypted"],
      ["REVOKED", "absent"],
    ]);
    expect(await db().notification.count({ where: { kind: "opening.withdrawn", link: `/opening/${f.tender.id}` } })).toBe(0);
  });

  it("an incident recorded after the window ended still counts when the record is made", async () => {
    const { f, session } = await windowOpen();
    setClockForTests(session.windowEndsAt.getTime() + 1_000);
    expect((await endDecryptionWindow(await access(f.host, f.tender.id), null)).ok).toBe(true);
    expect((await bidsOf(f.tender.id)).every((b) => b.status === "REVOKED")).toBe(true);
    const from = new Date(session.windowOpenedAt.getTime() + 5 * 60_000);
    expect((await incident(from, new Date(from.getTime() + 60_000))).ok).toBe(true);
    expect((await closeOpening(await access(f.host, f.tender.id), f.host)).ok).toBe(true);
    expect((await bidsOf(f.tender.id)).map((b) => [b.status, b.outcomeDetail])).toEqual([
      ["WITHDRAWN", "platform-outage"],
      ["WITHDRAWN", "platform-outage"],
      ["WITHDRAWN", "platform-outage"],
    ]);
    const closed = await db().auditEntry.findFirstOrThrow({
      where: { action: "opening.closed", subjectId: session.id },
      select: { data: true },
    });
    expect((closed.data as { reclassified: { was: string }[] }).reclassified.map((c) => c.was)).toEqual([
      "not-decrypted",
      "not-decrypted",
      "absent",
    ]);
  });

  it("refuses an incident that ends before it starts, one in the future, bad times, and anyone but an admin", async () => {
    const t = new Date(Date.now() - 3600_000);
    expect(await incident(new Date(t.getTime() + 60_000), t)).toMatchObject({
      ok: false,
      refusal: { code: "tender.errors.OUTAGE.END_BEFORE_START", status: 422, article: "E-Measures Art 31" },
    });
    expect(await incident(t, new Date(Date.now() + 3600_000))).toMatchObject({
      ok: false,
      refusal: { code: "tender.errors.OUTAGE.IN_FUTURE", status: 422 },
    });
    expect(await recordIncident(admin, { from: "2026-02-30T10:00", to: "2026-03-01T10:00", description: "x" })).toMatchObject({
      ok: false,
      refusal: { code: "tender.errors.OUTAGE.INVALID_TIME" },
    });
    expect(await recordIncident(admin, { from: toBeijingLocal(t), to: toBeijingLocal(t), description: "" })).toMatchObject({
      ok: false,
      refusal: { code: "outages.invalid", status: 400, params: { field: "description" } },
    });
    const agent = await sessionUserOf({
      id: (await db().user.findUniqueOrThrow({ where: { email: "agent@demo.mingbiao.cn" }, select: { id: true } })).id,
    });
    const before = await db().platformOutage.count();
    expect(
      await recordIncident(agent, {
        from: toBeijingLocal(t),
        to: toBeijingLocal(new Date(t.getTime() + 60_000)),
        description: "x",
      }),
    ).toMatchObject({ ok: false, refusal: { code: "outages.notAdmin", status: 403 } });
    expect(await db().platformOutage.count()).toBe(before);
  });

  it("the heartbeat records a gap longer than the threshold as an outage, audited, and nothing for a short one", async () => {
    // The row is platform-wide: this test starts from none (its first beat only inserts) and puts
    // back what it found, so no beat of its own stays on record for another test's window.
    const saved = await db().platformHeartbeat.findUnique({ where: { id: 1 } });
    const t0 = new Date();
    try {
      await db().platformHeartbeat.deleteMany({ where: { id: 1 } });
      const first = await beat(t0);
      if (first) created.push(first.id);
      expect(first).toBeNull();
      expect(await beat(new Date(t0.getTime() + 5_000))).toBeNull();
      expect(await beat(new Date(t0.getTime() + 4_000))).toBeNull(); // behind the row: ignored
      const gapEnd = new Date(t0.getTime() + 5_000 + 31_000);
      const found = await beat(gapEnd);
      if (found) created.push(found.id);
      expect(found).toMatchObject({ from: new Date(t0.getTime() + 5_000), to: gapEnd });
      const row = await db().platformOutage.findUniqueOrThrow({ where: { id: found!.id } });
      expect(row).toMatchObject({ source: "HEARTBEAT", recordedById: null });
      const audit = await db().auditEntry.findFirstOrThrow({
        where: { action: "platform.outage_detected", subjectId: found!.id },
        select: { actorId: true, data: true },
      });
      expect(audit).toMatchObject({ actorId: null, data: { gapMs: 31_000 } });
    } finally {
      if (saved) await db().platformHeartbeat.upsert({ where: { id: 1 }, create: saved, update: { beatAt: saved.beatAt } });
      else await db().platformHeartbeat.deleteMany({ where: { id: 1 } });
    }
  });
  it("a beat from a wrong clock records nothing, and a row a wrong clock left ahead does not leave real beats ignored", async () => {
    const saved = await db().platformHeartbeat.findUnique({ where: { id: 1 } });
    const started = new Date();
    const faked = new Date(started.getTime() + 24 * 24 * 3600_000); // a server under libfaketime
    const clockErrors = () =>
      db().auditEntry.findMany({
        where: { action: "platform.heartbeat_clock_error", at: { gte: started } },
        orderBy: { seq: "asc" },
        select: { actorId: true, subjectType: true, data: true },
      });
    try {
      await db().platformHeartbeat.deleteMany({ where: { id: 1 } });
      const refused = await beat(faked);
      if (refused) created.push(refused.id);
      expect(refused).toBeNull();
      expect(await beat(new Date(faked.getTime() + 5_000))).toBeNull();
      expect(await db().platformHeartbeat.count()).toBe(0);
      expect(await db().platformOutage.count({ where: { endedAt: { gte: faked } } })).toBe(0);
      // Audited once for the episode, not every beat.
      expect(await clockErrors()).toEqual([
        expect.objectContaining({
          actorId: null,
          subjectType: "PlatformHeartbeat",
          data: expect.objectContaining({ kind: "beat" }),
        }),
      ]);

      // The row a faked beat left weeks ahead (before this rule): the next real beat takes it back.
      await db().platformHeartbeat.create({ data: { id: 1, beatAt: faked } });
      const t0 = new Date();
      const reset = await beat(t0);
      if (reset) created.push(reset.id);
      expect(reset).toBeNull();
      expect((await db().platformHeartbeat.findUniqueOrThrow({ where: { id: 1 } })).beatAt).toEqual(t0);
      expect((await clockErrors()).map((e) => (e.data as { kind: string }).kind)).toEqual(["beat", "row"]);
      // And the real beats count again: a gap after it is an outage.
      const gapEnd = new Date(t0.getTime() + 31_000);
      const found = await beat(gapEnd);
      if (found) created.push(found.id);
      expect(found).toMatchObject({ from: t0, to: gapEnd });
    } finally {
      if (saved) await db().platformHeartbeat.upsert({ where: { id: 1 }, create: saved, update: { beatAt: saved.beatAt } });
      else await db().platformHeartbeat.deleteMany({ where: { id: 1 } });
    }
  });
});
