// Public results (issue 17 item 4): the notice page's history, the /results list and the OCDS
// award and contract releases, over rows inserted as the publicity and award features leave them
// (decision 113).
import { randomBytes } from "node:crypto";
import { loader as noticeLoader } from "~/routes/tenders.$tenderId.tsx";
import { loader as resultsLoader } from "~/routes/results.tsx";
import { loader as feedLoader } from "~/routes/ocds.releases[.]json.ts";
import { db, disconnectDb } from "~/platform/db.server.ts";
import { closeRedis } from "~/platform/redis.server.ts";
import { closeQueues } from "~/services/jobs.server.ts";
import * as clock from "~/platform/clock.server.ts";
import { releasePackageValidator } from "~/features/ocds/validate.ts";
import type { ReleasePackage } from "~/features/ocds/mapping.ts";
import type { HistoryEntry, ResultNotice } from "~/features/results/index.ts";
import { respond } from "../support/requests.ts";
import { args, get, makeActor, makeOrg } from "../fixtures/publication.ts";

afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(clock.nowMs() + offsetMs);

interface Cast {
  agent: Awaited<ReturnType<typeof makeActor>>;
  bidders: { id: string; name: string }[];
  tendererId: string;
}
let cast: Cast;
beforeAll(async () => {
  const agent = await makeActor("AGENT", "AGENT");
  const tenderer = await makeOrg("TENDERER", "结果公示测试招标人");
  const bidders = [];
  for (const n of [1, 2, 3]) bidders.push(await makeOrg("BIDDER", `结果公示测试投标人${n}-${randomBytes(2).toString("hex")}`));
  cast = { agent, bidders, tendererId: tenderer.id };
});

/** A tender past its evaluation, as the features before the results leave it. */
async function evaluatedTender(title: string, status: "PUBLICITY" | "AWARDED" = "PUBLICITY") {
  const code = `RP-${randomBytes(4).toString("hex").toUpperCase()}`;
  return db().tender.create({
    data: {
      code,
      title: `${title} ${code}`,
      procedureType: "WORKS",
      status,
      estimatedPriceCents: 1_500_000_000n,
      tendererOrgId: cast.tendererId,
      agentOrgId: cast.agent.organizationId,
      createdById: cast.agent.userId,
      docsIssueAt: at(-40 * DAY),
      docsAvailableUntil: at(-33 * DAY),
      bidDeadline: at(-20 * DAY),
      publishedAt: at(-40 * DAY),
    },
    select: { id: true, code: true, title: true },
  });
}

const SCORE = "93.47";
async function publicity(tenderId: string, publishedAt: Date, endsAt = new Date(publishedAt.getTime() + 3 * DAY)) {
  return db().candidatePublicity.create({
    data: {
      tenderId,
      reportSha256: randomBytes(32).toString("hex"),
      reportReceivedAt: new Date(publishedAt.getTime() - DAY),
      publishedAt,
      publishedById: cast.agent.userId,
      startsAt: publishedAt,
      endsAt,
      candidates: cast.bidders.map((b, i) => ({
        rank: i + 1,
        bidderOrgId: b.id,
        name: b.name,
        readOut: { price: String(1_400_000_000 + i * 1_000_000) },
        priceCents: String(1_400_000_000 + i * 1_000_000),
        score: i === 0 ? SCORE : "88.00",
      })),
      rejected: [],
      committee: [{ name: "评标专家甲乙", role: "chair", specialty: null }],
    },
  });
}

async function award(tenderId: string, resultNoticeAt: Date, contract?: { signedAt: Date; recordedAt: Date }) {
  const winner = cast.bidders[0]!;
  return db().award.create({
    data: {
      tenderId,
      winnerOrgId: winner.id,
      winnerName: winner.name,
      winnerRank: 1,
      priceCents: 1_400_000_000n,
      confirmedAt: resultNoticeAt,
      confirmedById: cast.agent.userId,
      resultNoticeAt,
      ...(contract
        ? {
            contractSignedAt: contract.signedAt,
            contractAmountCents: 1_400_000_000n,
            contractRecordedAt: contract.recordedAt,
            contractRecordedById: cast.agent.userId,
          }
        : {}),
    },
  });
}

async function notice(tenderId: string): Promise<{ history: HistoryEntry[]; raw: string }> {
  const res = await respond(() => noticeLoader(args(get(`/tenders/${tenderId}`), { tenderId })));
  expect(res.status).toBe(200);
  const raw = await res.text();
  return { history: (JSON.parse(raw) as { history: HistoryEntry[] }).history, raw };
}

describe("the notice page's history", () => {
  it("shows only what is published: no future publicity or award, no objector, no score, no unanswered objection", async () => {
    const tender = await evaluatedTender("历史测试道路工程");
    const objector = cast.bidders[2]!;
    const objectorUser = await makeActor("BIDDER", "BIDDER", objector.id);
    const reasons = `异议理由-${randomBytes(4).toString("hex")}`;
    await db().objection.create({
      data: {
        tenderId: tender.id,
        target: "result",
        objectorOrgId: objector.id,
        objectorUserId: objectorUser.userId,
        reasons,
        raisedAt: at(-2 * DAY),
        status: "ANSWERED",
        answer: "经复核，评标结果无误，维持原评标结果。",
        answeredAt: at(-DAY),
        answeredById: cast.agent.userId,
        deadlineAction: "keep",
      },
    });
    await db().objection.create({
      data: {
        tenderId: tender.id,
        target: "result",
        objectorOrgId: objector.id,
        objectorUserId: objectorUser.userId,
        reasons: `${reasons}-open`,
        raisedAt: at(-HOUR),
      },
    });
    // Recorded ahead of its publication time: not public yet.
    await publicity(tender.id, at(HOUR));
    await award(tender.id, at(2 * HOUR));

    const before = await notice(tender.id);
    expect(before.history.map((e) => e.kind)).toEqual(["notice", "objection"]);
    for (const secret of [objector.name, reasons, SCORE, cast.bidders[0]!.name, "评标专家甲乙"])
      expect(before.raw).not.toContain(secret);

    // Time passes: the publicity, then the result notice, are public.
    clock.setClockForTests(at(3 * HOUR));
    try {
      const after = await notice(tender.id);
      expect(after.history.map((e) => e.kind)).toEqual(["notice", "objection", "publicity", "award"]);
      const awardEntry = after.history.find((e) => e.kind === "award");
      expect(awardEntry).toMatchObject({ winnerName: cast.bidders[0]!.name, priceCents: "1400000000" });
      // The objector, their reasons and the scores stay off the notice page (the candidates' page has the scores).
      for (const secret of [objector.name, reasons, SCORE]) expect(after.raw).not.toContain(secret);
    } finally {
      clock.resetClockForTests();
    }
  });

  it("adds the opening record, complaint decisions and the contract in their order", async () => {
    const tender = await evaluatedTender("历史全程测试工程", "AWARDED");
    await db().openingSession.create({
      data: {
        tenderId: tender.id,
        step: "CLOSED",
        startedAt: at(-20 * DAY),
        closedAt: at(-20 * DAY + HOUR),
        pdfSha256: "ab".repeat(32),
      },
    });
    await publicity(tender.id, at(-10 * DAY));
    const complainant = await makeActor("BIDDER", "BIDDER", cast.bidders[1]!.id);
    await db().complaint.create({
      data: {
        tenderId: tender.id,
        complainantOrgId: complainant.organizationId,
        complainantUserId: complainant.userId,
        matter: "result",
        knownAt: at(-9 * DAY),
        filedAt: at(-8 * DAY),
        reasons: "投诉理由不公开",
        status: "DECIDED",
        acceptanceAt: at(-7 * DAY),
        decision: "dismissed",
        decisionText: "投诉缺乏事实根据，驳回投诉。",
        decidedAt: at(-6 * DAY),
      },
    });
    await db().complaint.create({
      data: {
        tenderId: tender.id,
        complainantOrgId: complainant.organizationId,
        complainantUserId: complainant.userId,
        matter: "result",
        knownAt: at(-9 * DAY),
        filedAt: at(-8 * DAY),
        reasons: "仍在处理",
        status: "ACCEPTED",
        acceptanceAt: at(-7 * DAY),
      },
    });
    await award(tender.id, at(-5 * DAY), { signedAt: at(-2 * DAY), recordedAt: at(-DAY) });
    const { history, raw } = await notice(tender.id);
    expect(history.map((e) => e.kind)).toEqual(["notice", "opening", "publicity", "complaint", "award", "contract"]);
    expect(history.find((e) => e.kind === "complaint")).toMatchObject({ decision: "dismissed", status: "DECIDED" });
    expect(history.at(-1)).toMatchObject({ kind: "contract", amountCents: "1400000000" });
    expect(raw).not.toContain("投诉理由不公开");
    expect(raw).not.toContain("仍在处理");
  });
});

async function results(
  query: string,
): Promise<{ notices: ResultNotice[]; total: number; older: string | null; newer: string | null }> {
  const res = await respond(() => resultsLoader(args(get(`/results${query}`))));
  expect(res.status).toBe(200);
  return (await res.json()) as { notices: ResultNotice[]; total: number; older: string | null; newer: string | null };
}

describe("/results", () => {
  it("lists publicity and result notices newest first, searches by title or code, filters, pages by keyset", async () => {
    const tag = `检索${randomBytes(3).toString("hex")}`;
    const made: { tenderId: string; code: string; at: Date }[] = [];
    // 22 notices: 15 tenders in publicity (one window already over), 7 of them awarded too; plus one not yet published.
    for (let i = 0; i < 15; i++) {
      const t = await evaluatedTender(`${tag}道路工程`, i < 7 ? "AWARDED" : "PUBLICITY");
      const publishedAt = at(-(30 - i) * HOUR);
      await publicity(t.id, publishedAt, i === 14 ? at(-HOUR) : at(3 * DAY));
      made.push({ tenderId: t.id, code: t.code, at: publishedAt });
      if (i < 7) await award(t.id, at(-(10 - i) * HOUR));
    }
    const hidden = await evaluatedTender(`${tag}道路工程`);
    await publicity(hidden.id, at(DAY));

    const first = await results(`?q=${encodeURIComponent(tag)}`);
    expect(first.total).toBe(22);
    expect(first.notices).toHaveLength(20);
    const times = first.notices.map((n) => n.at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(first.notices.every((n) => n.tenderId !== hidden.id)).toBe(true);
    // The 7 result notices are the newest.
    expect(first.notices.slice(0, 7).every((n) => n.kind === "result" && n.winnerName === cast.bidders[0]!.name)).toBe(true);
    expect(first.newer).toBeNull();
    const second = await results(`?q=${encodeURIComponent(tag)}&after=${encodeURIComponent(first.older!)}`);
    expect(second.notices).toHaveLength(2);
    expect(second.older).toBeNull();
    expect(new Set([...first.notices, ...second.notices].map((n) => n.id)).size).toBe(22);
    const back = await results(`?q=${encodeURIComponent(tag)}&before=${encodeURIComponent(second.newer!)}`);
    expect(back.notices.map((n) => n.id)).toEqual(first.notices.map((n) => n.id));

    const inPublicity = await results(`?q=${encodeURIComponent(tag)}&kind=publicity`);
    expect(inPublicity.total).toBe(14);
    expect(inPublicity.notices.every((n) => n.kind === "candidates")).toBe(true);
    const awarded = await results(`?q=${encodeURIComponent(tag)}&kind=awarded`);
    expect(awarded.total).toBe(7);

    const byCode = await results(`?q=${made[3]!.code.toLowerCase()}`);
    expect(byCode.notices.map((n) => [n.tenderId, n.kind])).toEqual([
      [made[3]!.tenderId, "result"],
      [made[3]!.tenderId, "candidates"],
    ]);
    // A hand-edited cursor falls back to the first page rather than failing.
    expect((await results(`?q=${encodeURIComponent(tag)}&after=nonsense`)).notices).toHaveLength(20);
  });
});

async function feed(query: string): Promise<ReleasePackage> {
  const res = await respond(() => feedLoader(args(get(`/ocds/releases.json${query}`))));
  expect(res.status).toBe(200);
  return (await res.json()) as ReleasePackage;
}

/** Every release of the feed since `since`, following links.next. */
async function allReleases(since: Date) {
  const validate = releasePackageValidator();
  const releases: ReleasePackage["releases"] = [];
  let query: string | null = `?since=${encodeURIComponent(since.toISOString())}&limit=25`;
  while (query) {
    const pkg = await feed(query);
    const ok = validate(pkg);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    releases.push(...pkg.releases);
    query = pkg.links?.next ? new URL(pkg.links.next).search : null;
  }
  return releases;
}

describe("OCDS award and contract releases", () => {
  it("a malformed candidate_publicity row leaves out that tender's result releases (logged), not the whole page", async () => {
    const since = at(-45 * DAY);
    const broken = await evaluatedTender("OCDS 损坏公示测试工程");
    const sound = await evaluatedTender("OCDS 正常公示测试工程");
    const row = await publicity(broken.id, at(-4 * DAY), at(-HOUR));
    await db().candidatePublicity.update({ where: { id: row.id }, data: { candidates: [{ rank: "一", name: 1 }] } });
    await publicity(sound.id, at(-4 * DAY), at(-HOUR));
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const releases = await allReleases(since);
      const tags = (id: string) => releases.filter((r) => r.ocid === `ocds-mingbiao-${id}`).map((r) => r.tag[0]);
      expect(tags(broken.id)).toEqual(["tender"]);
      expect(tags(sound.id)).toEqual(["tender", "award"]);
      expect(logged.mock.calls.some((c) => String(c[0]).includes(broken.id))).toBe(true);
    } finally {
      logged.mockRestore();
      await db().candidatePublicity.delete({ where: { id: row.id } }); // the later feeds' pages read it too
    }
  });

  it("validate, follow the award's publication and are absent before it", async () => {
    const since = at(-45 * DAY);
    const tender = await evaluatedTender("OCDS 结果测试工程");
    const ocid = `ocds-mingbiao-${tender.id}`;
    const ours = async () => (await allReleases(since)).filter((r) => r.ocid === ocid);

    expect((await ours()).map((r) => r.tag[0])).toEqual(["tender"]);
    await publicity(tender.id, at(-4 * DAY), at(-HOUR));
    const a = await award(tender.id, at(HOUR)); // recorded ahead of its publication
    expect((await ours()).map((r) => r.tag[0])).toEqual(["tender", "award"]);
    const pending = (await ours())[1]!;
    expect(pending.awards!.map((x) => x.status)).toEqual(["pending", "pending", "pending"]);

    await db().award.update({ where: { id: a.id }, data: { resultNoticeAt: at(-2 * HOUR), confirmedAt: at(-2 * HOUR) } });
    await db().tender.update({ where: { id: tender.id }, data: { status: "AWARDED" } });
    let releases = await ours();
    expect(releases.map((r) => r.tag[0])).toEqual(["tender", "award", "award"]);
    expect(releases[2]!.awards!.map((x) => x.status)).toEqual(["active", "unsuccessful", "unsuccessful"]);
    expect(releases[2]!.parties.find((p) => (p.roles as string[]).includes("supplier"))?.name).toBe(cast.bidders[0]!.name);
    expect(releases.every((r) => !r.contracts)).toBe(true);

    await db().award.update({
      where: { id: a.id },
      data: {
        contractSignedAt: at(-HOUR),
        contractAmountCents: 1_399_000_000n,
        contractRecordedAt: at(-HOUR / 2),
        contractRecordedById: cast.agent.userId,
      },
    });
    releases = await ours();
    expect(releases.map((r) => r.tag[0])).toEqual(["tender", "award", "award", "contract"]);
    expect(releases[3]!.contracts).toEqual([
      expect.objectContaining({ awardID: "award-1", status: "active", value: { amount: 13_990_000, currency: "CNY" } }),
    ]);

    // The winner passed over after the award (Regs Art 55): an awardUpdate with its award cancelled.
    await db().awardDecline.create({
      data: {
        tenderId: tender.id,
        bidderOrgId: cast.bidders[0]!.id,
        rank: 1,
        cause: "no-performance-security",
        reason: "未按期提交履约保证金",
        recordedAt: at(-HOUR / 4),
        recordedById: cast.agent.userId,
      },
    });
    releases = await ours();
    expect(releases.map((r) => r.tag[0])).toEqual(["tender", "award", "award", "contract", "awardUpdate"]);
    expect(releases[4]!.awards![0]).toMatchObject({ id: "award-1", status: "cancelled" });
    expect(new Set(releases.map((r) => r.id)).size).toBe(releases.length);
  });
});
